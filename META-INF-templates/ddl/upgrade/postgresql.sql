-- Upgrades a postgresql database set up with the claim store's first DDL (one row per claimed row)
-- to this version: marks carry a scope (a row alone, or with its subtree), intentions have a
-- table, claims in a hierarchy lock their namespace's row, and write checks find claims by token.
-- Run it with no claim live.
ALTER TABLE cg_object_lock ADD COLUMN scope CHAR(1) DEFAULT 'R' NOT NULL;
-- Write checks on each node read which claims are kept (a claim's token) and their marks.
CREATE INDEX cg_object_lock_token ON cg_object_lock (namespace, token);
-- One row per intention: a claim holds something below this row (one of its ancestors).
CREATE TABLE cg_intent (
    namespace    VARCHAR(64)  NOT NULL,
    model_name   VARCHAR(100) NOT NULL,
    object_id    VARCHAR(255) NOT NULL,
    token        BIGINT       NOT NULL,
    operation_id VARCHAR(100) NOT NULL,
    label        VARCHAR(200) NOT NULL,
    user_name    VARCHAR(200) NOT NULL,
    created_at   BIGINT       NOT NULL,
    lease_until  BIGINT       NOT NULL,
    CONSTRAINT cg_intent_pk PRIMARY KEY (namespace, model_name, object_id, token)
);
CREATE INDEX cg_intent_operation ON cg_intent (namespace, operation_id, token);
CREATE INDEX cg_intent_lease ON cg_intent (namespace, lease_until);
-- One row per namespace, locked by claims that take part in a hierarchy, so that a subtree
-- claim and a claim below it never pass each other's checks.
CREATE TABLE cg_namespace (
    namespace    VARCHAR(64)  NOT NULL,
    CONSTRAINT cg_namespace_pk PRIMARY KEY (namespace)
);
