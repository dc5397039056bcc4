-- ConflictGuard claim store for PostgreSQL (10+).
-- One row per claimed row; times are epoch milliseconds by the database clock.
CREATE TABLE cg_object_lock (
    namespace    VARCHAR(64)  NOT NULL,
    model_name   VARCHAR(100) NOT NULL,
    object_id    VARCHAR(255) NOT NULL,
    operation_id VARCHAR(100) NOT NULL,
    label        VARCHAR(200) NOT NULL,
    user_name    VARCHAR(200) NOT NULL,
    token        BIGINT       NOT NULL,
    created_at   BIGINT       NOT NULL,
    lease_until  BIGINT       NOT NULL,
    CONSTRAINT cg_object_lock_pk PRIMARY KEY (namespace, model_name, object_id)
);
CREATE INDEX cg_object_lock_operation ON cg_object_lock (namespace, operation_id);
CREATE INDEX cg_object_lock_lease ON cg_object_lock (namespace, lease_until);
-- Fencing tokens. Keep CACHE 1 (the default): a per-session cache would hand out tokens out of order.
CREATE SEQUENCE cg_fence_seq START WITH 1 INCREMENT BY 1 CACHE 1;
