package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import java.util.List;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.Scope;
import org.conflictguard.spi.ClaimSpec;

/**
 * PostgreSQL 10+: a claim of rows each alone, outside any hierarchy, that are not in the table
 * is one statement (a token, the database's now, the operation's busy check, the check of every
 * row and of the places ahead in the queue, and the insert of them all); rows already in the
 * table (held, or lapsed and not swept yet) or under a place ahead, and claims that take part in
 * a hierarchy take the general claim. A place leaves the queue in one statement too.
 * A granted claim, a release and a place leaving the queue tell watching nodes after the commit
 * ({@link PostgresNotifier}: never when the transaction rolls back). The insert has no
 * {@code ON CONFLICT}: its speculative insertion costs about 4 µs more per row (a third more at
 * 1,000 rows), and a claim that commits the same rows between the check and the insert makes it
 * fail with a unique-key violation, which is a lost race. Each row is checked by a probe of the
 * primary key (a lateral subquery), the only index of the table that holds the namespace:
 * whatever the statistics say (a fresh table, a table full of dead entries between vacuums, a
 * large claim not analyzed yet), the planner has no scan of the namespace to prefer to N probes.
 * Whether an operation is busy is read as the latest lease of its marks in the namespace, the
 * first such entry of the operation index read backwards. With the lease in the condition the
 * planner read the lease index instead (every live mark of every claim, for a generic plan beside a
 * large claim of another operation); with a count of the operation's marks, a generic plan that
 * expects an operation to hold half the table scanned the table; and with the namespace compared
 * as a column (not as the expression {@code namespace || ''}), a table never analyzed had the
 * namespace's part of the primary key read beside the operation index.
 */
final class PostgresSql extends DialectSql {

    private static final String COLUMNS = LockTable.COLUMNS;

    /**
     * The latest lease of an operation's marks in the namespace (parameters: the operation, the
     * namespace), by the operation index read backwards: the shape of the busy check the class
     * comment explains.
     */
    private static final String LATEST_LEASE = "(SELECT lease_until FROM cg_object_lock WHERE operation_id = ?"
            + " AND namespace || '' = ? ORDER BY lease_until DESC LIMIT 1)";

    static final String ONE_STATEMENT = "WITH head AS (SELECT nextval('cg_fence_seq') AS token, "
            + "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) AS now),"
            + " wanted AS (SELECT w.e AS model_name, w.i AS object_id"
            + " FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS w(e, i)),"
            + " taken AS (SELECT 1 FROM wanted w, LATERAL (SELECT 1 FROM cg_object_lock l WHERE l.namespace = ?"
            + " AND l.model_name = w.model_name AND l.object_id = w.object_id LIMIT 1) l),"
            + " busy AS (SELECT COUNT(*) AS n FROM " + LATEST_LEASE + " b, head h WHERE b.lease_until > h.now),"
            + " waiting AS (SELECT COUNT(*) AS n FROM (SELECT 1 FROM cg_wait q JOIN wanted w"
            + " ON q.model_name = w.model_name AND q.object_id = w.object_id, head h WHERE q.namespace = ?"
            + " AND q.kind <> 'I' AND q.place_until > h.now AND (CAST(? AS BIGINT) = 0 OR q.ticket < CAST(? AS BIGINT))"
            + " AND (CAST(? AS text) <> 'S' OR q.claim_mode <> 'S') LIMIT 1) x),"
            + " ins AS (INSERT INTO cg_object_lock (namespace, " + COLUMNS + ")"
            + " SELECT ?, w.model_name, w.object_id, ?, ?, ?, h.token, h.now, h.now + ?, 'R', ? FROM wanted w, head h"
            + " WHERE NOT EXISTS (SELECT 1 FROM taken) AND (SELECT n FROM busy) = 0 AND (SELECT n FROM waiting) = 0"
            + " ORDER BY w.model_name, w.object_id RETURNING 1)"
            + " SELECT h.token, h.now, (SELECT n FROM busy), (SELECT COUNT(*) FROM taken),"
            + " (SELECT COUNT(*) FROM ins), 0, (SELECT n FROM waiting) FROM head h";

    /**
     * The head of a claim in a hierarchy: an advisory lock on the namespace until the transaction
     * ends (instead of the cg_namespace row: no row is written), a token, now, the busy check and
     * whether any claim has a place in the queue.
     */
    private static final String LOCKED_HEAD = "SELECT (SELECT COUNT(*) FROM pg_advisory_xact_lock(hashtext(?))),"
            + " nextval('cg_fence_seq'), CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT),"
            + " (SELECT COUNT(*) FROM " + LATEST_LEASE + " b"
            + " WHERE b.lease_until > CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)),"
            + " (SELECT COUNT(*) FROM (SELECT 1 FROM cg_wait WHERE namespace = ? LIMIT 1) q)";

    /**
     * A claim in a hierarchy after the lock, in one statement: no row of the marks in the table (live
     * or lapsed), no live intention on a subtree root, no live subtree mark on an ancestor; then the
     * marks and the intentions are inserted. Anything found leaves the decision to the general claim.
     * Each row is read by its key alone: whether what is found is live is decided after the read (in
     * an aggregate), so that no lease index can serve the read.
     */
    static final String HIERARCHICAL = "WITH marks AS (SELECT m.e, m.i, m.s FROM unnest(CAST(? AS text[]),"
            + " CAST(? AS text[]), CAST(? AS text[])) AS m(e, i, s)),"
            + " ancestors AS (SELECT a.e, a.i FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS a(e, i)),"
            + " taken AS (SELECT 1 FROM marks m, LATERAL (SELECT 1 FROM cg_object_lock l WHERE l.namespace = ?"
            + " AND l.model_name = m.e AND l.object_id = m.i LIMIT 1) l),"
            + " below AS (SELECT 1 FROM marks m, LATERAL (SELECT bool_or(x.lease_until > ?) AS live FROM cg_intent x"
            + " WHERE x.namespace = ? AND x.model_name = m.e AND x.object_id = m.i) x WHERE m.s = 'S' AND x.live),"
            + " above AS (SELECT 1 FROM ancestors a, LATERAL (SELECT bool_or(l.scope = 'S' AND l.lease_until > ?) AS live"
            + " FROM cg_object_lock l WHERE l.namespace = ? AND l.model_name = a.e AND l.object_id = a.i) l WHERE l.live),"
            + " free AS (SELECT NOT EXISTS (SELECT 1 FROM taken) AND NOT EXISTS (SELECT 1 FROM below)"
            + " AND NOT EXISTS (SELECT 1 FROM above) AS ok),"
            + " ins AS (INSERT INTO cg_object_lock (namespace, " + COLUMNS + ")"
            + " SELECT ?, m.e, m.i, ?, ?, ?, ?, ?, ?, m.s, ? FROM marks m WHERE (SELECT ok FROM free)"
            + " ORDER BY m.e, m.i RETURNING 1),"
            + " intents AS (INSERT INTO cg_intent (namespace, model_name, object_id, token, operation_id, label,"
            + " user_name, created_at, lease_until, claim_mode) SELECT ?, a.e, a.i, ?, ?, ?, ?, ?, ?, ? FROM ancestors a"
            + " WHERE (SELECT ok FROM free) ORDER BY a.e, a.i RETURNING 1)"
            + " SELECT (SELECT ok FROM free), (SELECT COUNT(*) FROM ins), (SELECT COUNT(*) FROM intents)";

    /** Deletes a claim (its marks and intentions). */
    static final String DELETE_CLAIM = "WITH intents AS (DELETE FROM cg_intent WHERE namespace = ?"
            + " AND operation_id = ? AND token = ?), gone AS (DELETE FROM cg_object_lock WHERE namespace = ?"
            + " AND operation_id = ? AND token = ? RETURNING 1) SELECT COUNT(*) FROM gone";

    /**
     * The distinct tokens of a namespace in one step per claim, not per mark: each step finds the
     * next larger token (of any namespace: a token is one claim's, in one namespace) by the token
     * index, and the namespace's are kept.
     */
    static final String CLAIM_TOKENS = "WITH RECURSIVE t(token, namespace) AS ((SELECT token, namespace"
            + " FROM cg_object_lock ORDER BY token LIMIT 1) UNION ALL SELECT n.token, n.namespace FROM t,"
            + " LATERAL (SELECT l.token, l.namespace FROM cg_object_lock l WHERE l.token > t.token"
            + " ORDER BY l.token LIMIT 1) n) SELECT token FROM t WHERE namespace = ?";

    private static final String LEAVE = "DELETE FROM cg_wait WHERE namespace = ? AND ticket = ?";

    @Override
    boolean leave(EntityManager em, LockTable table, long ticket) {
        boolean left = table.query(em, LEAVE, table.namespace(), ticket).executeUpdate() > 0;
        if (left) {
            table.notifyOnCommit(PostgresFeed.left(table.namespace(), ticket));
        }
        return left;
    }

    /**
     * Secondary indexes of the two tables that hold the namespace: with one, a probe by namespace
     * and key has an alternative that the planner may prefer where the statistics say the table is
     * empty, and that reads the whole namespace for each row.
     */
    @Override
    List<String> indexesOfAnEarlierLayout(EntityManager em, LockTable table) {
        List<String> names = new java.util.ArrayList<>();
        for (Object name : table.query(em, "SELECT CAST(c.relname AS text) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid"
                + " AND a.attnum = ANY(CAST(i.indkey AS int2[])) AND a.attname = 'namespace')"
                + " AND i.indrelid IN (to_regclass('cg_object_lock'), to_regclass('cg_intent'))"
                + " AND NOT i.indisprimary ORDER BY c.relname").getResultList()) {
            names.add((String) name);
        }
        return names;
    }

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    /**
     * A unit whose transactions run at REPEATABLE READ or SERIALIZABLE (a default of the server,
     * database or role, or the provider's isolation setting) needs one: a claim in a hierarchy
     * would check with a snapshot taken before it waited for the namespace's lock, and pass beside
     * the claim it waited for.
     */
    @Override
    String readCommitted(EntityManager em, LockTable table) {
        Object level = table.query(em, "SELECT current_setting('transaction_isolation')").getSingleResult();
        return "read committed".equals(level) ? null : "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
    }

    /** Two statements of one transaction see one transaction id, unless each commits by itself. */
    @Override
    boolean commitsEachStatement(EntityManager em, LockTable table) {
        long first = LockTable.number(table.query(em, "SELECT txid_current()").getSingleResult());
        return first != LockTable.number(table.query(em, "SELECT txid_current()").getSingleResult());
    }

    @Override
    String nextToken() {
        return "nextval('cg_fence_seq')";
    }

    @Override
    String now() {
        return "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    }

    @Override
    String insertSuffix() {
        return " ON CONFLICT DO NOTHING";
    }

    @Override
    int deleteClaim(EntityManager em, LockTable table, String operationId, long token) {
        int gone = (int) LockTable.number(table.query(em, DELETE_CLAIM, table.namespace(), operationId, token,
                table.namespace(), operationId, token).getSingleResult());
        if (gone > 0) {
            table.notifyOnCommit(PostgresFeed.ended(table.namespace(), token));
        }
        return gone;
    }

    @Override
    String claimTokens() {
        return CLAIM_TOKENS;
    }

    @Override
    void announceGranted(EntityManager em, LockTable table, long token) {
        table.notifyOnCommit(PostgresFeed.granted(table.namespace(), token));
    }

    @Override
    ClaimAttempt claim(EntityManager em, LockTable table, ClaimSpec spec, long ticket) {
        if (spec.isHierarchical()) {
            return claimInHierarchy(em, table, spec, ticket);
        }
        List<Row> rows = spec.rows();
        Object[] result;
        try {
            result = (Object[]) table.query(em, ONE_STATEMENT, oneStatementParameters(table.namespace(), spec, ticket))
                    .getSingleResult();
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                return new ClaimAttempt.RaceLost(e);
            }
            throw e;
        }
        long token = LockTable.number(result[0]);
        long now = LockTable.number(result[1]);
        if (LockTable.number(result[2]) > 0) {
            return new ClaimAttempt.Busy();
        }
        boolean waiting = LockTable.number(result[6]) > 0;
        if (LockTable.number(result[3]) > 0 || waiting) {
            // Some rows are in the table (held, or lapsed and not swept yet), or a place ahead in the
            // queue is on them: the general claim decides.
            return claimChecked(em, table, spec, token, now, ticket, waiting);
        }
        if (LockTable.number(result[4]) < rows.size()) {
            return new ClaimAttempt.RaceLost(null);
        }
        table.notifyOnCommit(PostgresFeed.granted(table.namespace(), token));
        return confirmed(em, table, spec, token, now);
    }

    /** The parameters of {@link #ONE_STATEMENT} for a claim of rows each alone, with its place in the queue or 0. */
    static Object[] oneStatementParameters(String ns, ClaimSpec spec, long ticket) {
        String[][] rows = entitiesAndIds(spec.rows());
        String mode = LockTable.mode(spec);
        return new Object[] {rows[0], rows[1], ns, spec.operationId(), ns, ns, ticket, ticket, mode, ns,
            spec.operationId(), LockTable.nullToEmpty(spec.label()), LockTable.nullToEmpty(spec.user()),
            spec.lease().toMillis(), mode};
    }

    /** The entities and the ids of {@code rows}, as two arrays for {@code unnest}. */
    private static String[][] entitiesAndIds(List<Row> rows) {
        String[][] columns = new String[2][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            columns[0][i] = rows.get(i).entity();
            columns[1][i] = rows.get(i).id();
        }
        return columns;
    }

    /** The parameters of {@link #HIERARCHICAL} for a claim in a hierarchy, with its token and now. */
    static Object[] hierarchicalParameters(String ns, ClaimSpec spec, long token, long now) {
        List<Mark> marks = spec.marks();
        String[][] marked = entitiesAndIds(marks.stream().map(Mark::row).toList());
        String[] scopes = new String[marks.size()];
        for (int i = 0; i < marks.size(); i++) {
            scopes[i] = marks.get(i).scope() == Scope.SUBTREE ? "S" : "R";
        }
        String[][] ancestors = entitiesAndIds(spec.ancestors());
        String label = LockTable.nullToEmpty(spec.label());
        String user = LockTable.nullToEmpty(spec.user());
        long leaseUntil = now + spec.lease().toMillis();
        String mode = LockTable.mode(spec);
        return new Object[] {marked[0], marked[1], scopes, ancestors[0], ancestors[1], ns, now, ns, now, ns, ns,
            spec.operationId(), label, user, token, now, leaseUntil, mode, ns, token, spec.operationId(), label, user,
            now, leaseUntil, mode};
    }

    private ClaimAttempt claimInHierarchy(EntityManager em, LockTable table, ClaimSpec spec, long ticket) {
        Object[] head = (Object[]) table.query(em, LOCKED_HEAD, "conflictguard:" + table.namespace(),
                spec.operationId(), table.namespace(), table.namespace()).getSingleResult();
        long token = LockTable.number(head[1]);
        long now = LockTable.number(head[2]);
        if (LockTable.number(head[3]) > 0) {
            return new ClaimAttempt.Busy();
        }
        if (LockTable.number(head[4]) > 0) {
            return claimChecked(em, table, spec, token, now, ticket, true);
        }
        String ns = table.namespace();
        Object[] result;
        try {
            result = (Object[]) table.query(em, HIERARCHICAL, hierarchicalParameters(ns, spec, token, now))
                    .getSingleResult();
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                return new ClaimAttempt.RaceLost(e);
            }
            throw e;
        }
        if (!Boolean.TRUE.equals(result[0])) {
            // Something is in the way (held, or lapsed and not swept yet): the general claim decides.
            return claimChecked(em, table, spec, token, now, ticket, false);
        }
        table.notifyOnCommit(PostgresFeed.granted(ns, token));
        return confirmed(em, table, spec, token, now);
    }

    @Override
    String lockNamespace() {
        return "INSERT INTO cg_namespace (namespace) VALUES (?) ON CONFLICT (namespace) DO UPDATE SET namespace = EXCLUDED.namespace";
    }
}
