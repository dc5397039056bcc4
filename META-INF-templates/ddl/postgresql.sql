-- ConflictGuard claim store for PostgreSQL (10+).
-- Times are epoch milliseconds by the database clock.
-- One row per mark: a row a claim holds alone (scope 'R') or with its subtree (scope 'S'), in
-- its mode (exclusive 'X' or shared 'S'). Shared claims of one row have a row each: the first at
-- slot 0, those that joined it at their token, so that an exclusive claim and a first shared one
-- meet on the primary key.
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
    scope        CHAR(1)      NOT NULL,
    claim_mode   CHAR(1)      DEFAULT 'X' NOT NULL,
    holder_slot  BIGINT       DEFAULT 0 NOT NULL,
    CONSTRAINT cg_object_lock_pk PRIMARY KEY (namespace, model_name, object_id, holder_slot)
);
-- No secondary index holds the namespace: a claim checks its rows by the primary key alone,
-- whatever the table's statistics say (where they say the table is empty, as after an analysis of
-- an empty table, any index the namespace is in looks as cheap to the planner, and a smaller one
-- is read whole, every entry of the namespace live or dead, for each row checked).
CREATE INDEX cg_object_lock_by_operation ON cg_object_lock (operation_id, lease_until);
-- An operation holds a small share of the marks, even where one large claim holds most of them:
-- without this, a plan made for any operation expects it to hold as many as the largest, and reads
-- the lease index instead of the operation index to find whether it is busy.
ALTER TABLE cg_object_lock ALTER COLUMN operation_id SET (n_distinct = -0.1);
CREATE INDEX cg_object_lock_by_lease ON cg_object_lock (lease_until);
-- Write checks on each node read which claims are kept (a claim's token) and their marks.
CREATE INDEX cg_object_lock_by_token ON cg_object_lock (token);
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
    claim_mode   CHAR(1)      DEFAULT 'X' NOT NULL,
    CONSTRAINT cg_intent_pk PRIMARY KEY (namespace, model_name, object_id, token)
);
-- As for cg_object_lock: no secondary index holds the namespace.
CREATE INDEX cg_intent_by_operation ON cg_intent (operation_id, token);
CREATE INDEX cg_intent_by_lease ON cg_intent (lease_until);
-- One row per namespace, locked by claims that take part in a hierarchy, so that a subtree
-- claim and a claim below it never pass each other's checks.
CREATE TABLE cg_namespace (
    namespace    VARCHAR(64)  NOT NULL,
    CONSTRAINT cg_namespace_pk PRIMARY KEY (namespace)
);
-- The queue of waiting claims: a place per claim that waits for its rows, with one row per row
-- its claim would mark (kind 'R' alone, 'S' with its subtree) or put an intention on ('I'),
-- under the place's ticket (a fencing token: tickets order the queue) and its end.
CREATE TABLE cg_wait (
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
CREATE INDEX cg_wait_row ON cg_wait (namespace, model_name, object_id);
-- Fencing tokens. Keep CACHE 1 (the default): a per-session cache would hand out tokens out of order.
CREATE SEQUENCE cg_fence_seq START WITH 1 INCREMENT BY 1 CACHE 1;
