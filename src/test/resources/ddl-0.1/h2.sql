-- ConflictGuard claim store for H2 (2.x).
-- One row per claimed row; times are epoch milliseconds by the database clock.
CREATE TABLE cg_object_lock (
    namespace    VARCHAR(64)  NOT NULL,
    model_name   VARCHAR(100) NOT NULL,
    object_id    VARCHAR(510) NOT NULL, -- H2 counts UTF-16 units: room for 255 code points
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
CREATE SEQUENCE cg_fence_seq START WITH 1 INCREMENT BY 1;
