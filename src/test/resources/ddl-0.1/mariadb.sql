-- ConflictGuard claim store for MariaDB (10.3+, for sequences).
-- One row per claimed row; times are epoch milliseconds by the database clock.
-- utf8mb4_nopad_bin: ids compare exactly ('a', 'A' and 'a ' are different rows).
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
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;
CREATE INDEX cg_object_lock_operation ON cg_object_lock (namespace, operation_id);
CREATE INDEX cg_object_lock_lease ON cg_object_lock (namespace, lease_until);
-- Fencing tokens: one server-wide sequence, so tokens grow in the order they are handed out.
CREATE SEQUENCE cg_fence_seq START WITH 1 INCREMENT BY 1;
