-- Upgrades a postgresql database set up with an earlier DDL of the claim store to this version: marks
-- carry a scope (a row alone, or with its subtree), intentions have a table, claims in a hierarchy
-- lock their namespace's row, write checks find claims by token, and marks and intentions carry
-- their claim's mode (shared rows have a row per claim, told apart by a slot in the primary key),
-- claims that wait for their rows take places in a queue, and no secondary index holds the
-- namespace (claims check their rows by the primary key whatever the statistics say).
-- Safe to run again. Run it with no claim live.
ALTER TABLE cg_object_lock ADD COLUMN IF NOT EXISTS scope CHAR(1) DEFAULT 'R' NOT NULL;
-- One row per intention: a claim holds something below this row (one of its ancestors).
CREATE TABLE IF NOT EXISTS cg_intent (
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
-- One row per namespace, locked by claims that take part in a hierarchy, so that a subtree
-- claim and a claim below it never pass each other's checks.
CREATE TABLE IF NOT EXISTS cg_namespace (
    namespace    VARCHAR(64)  NOT NULL,
    CONSTRAINT cg_namespace_pk PRIMARY KEY (namespace)
);
-- Modes and slots (shared claims).
ALTER TABLE cg_object_lock ADD COLUMN IF NOT EXISTS claim_mode CHAR(1) DEFAULT 'X' NOT NULL;
ALTER TABLE cg_object_lock ADD COLUMN IF NOT EXISTS holder_slot BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE cg_object_lock DROP CONSTRAINT cg_object_lock_pk,
    ADD CONSTRAINT cg_object_lock_pk PRIMARY KEY (namespace, model_name, object_id, holder_slot);
ALTER TABLE cg_intent ADD COLUMN IF NOT EXISTS claim_mode CHAR(1) DEFAULT 'X' NOT NULL;
-- The queue of waiting claims: a place per claim that waits for its rows, with one row per row
-- its claim would mark (kind 'R' alone, 'S' with its subtree) or put an intention on ('I'),
-- under the place's ticket (a fencing token: tickets order the queue) and its end.
CREATE TABLE IF NOT EXISTS cg_wait (
    namespace    VARCHAR(64)  NOT NULL,
    ticket       BIGINT       NOT NULL,
    model_name   VARCHAR(100) NOT NULL,
    object_id    VARCHAR(255) NOT NULL,
    kind         CHAR(1)      NOT NULL,
    operation_id VARCHAR(100) NOT NULL,
    label        VARCHAR(200) NOT NULL,
    user_name    VARCHAR(200) NOT NULL,
    created_at   BIGINT       NOT NULL,
    place_until  BIGINT       NOT NULL,
    claim_mode   CHAR(1)      NOT NULL,
    CONSTRAINT cg_wait_pk PRIMARY KEY (namespace, ticket, model_name, object_id, kind)
);
CREATE INDEX IF NOT EXISTS cg_wait_row ON cg_wait (namespace, model_name, object_id);
-- Secondary indexes without the namespace, in place of those that began with it.
CREATE INDEX IF NOT EXISTS cg_object_lock_by_operation ON cg_object_lock (operation_id, lease_until);
-- An operation holds a small share of the marks (for the planner: see the DDL).
ALTER TABLE cg_object_lock ALTER COLUMN operation_id SET (n_distinct = -0.1);
CREATE INDEX IF NOT EXISTS cg_object_lock_by_lease ON cg_object_lock (lease_until);
CREATE INDEX IF NOT EXISTS cg_object_lock_by_token ON cg_object_lock (token);
CREATE INDEX IF NOT EXISTS cg_intent_by_operation ON cg_intent (operation_id, token);
CREATE INDEX IF NOT EXISTS cg_intent_by_lease ON cg_intent (lease_until);
DROP INDEX IF EXISTS cg_object_lock_operation;
DROP INDEX IF EXISTS cg_object_lock_lease;
DROP INDEX IF EXISTS cg_object_lock_token;
DROP INDEX IF EXISTS cg_intent_operation;
DROP INDEX IF EXISTS cg_intent_lease;
