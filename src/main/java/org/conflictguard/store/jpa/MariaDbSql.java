package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimSpec;

/**
 * MariaDB 10.6+ (10.3+ for the general claim alone). A claim and a release run at READ
 * COMMITTED (set first in their transactions, unless the unit's run at it already): their reads
 * see what is committed when they run, and their locks take no gaps (at
 * MariaDB's default, REPEATABLE READ, the read of joined marks after an insert, locked,
 * deadlocked with concurrent inserts under eight threads). A claim of rows each alone, outside
 * any hierarchy, with no place in the queue of the namespace, checks and inserts all its rows in
 * one statement after the head query ({@link DialectSql#insertFreeRows}): the rows travel as one
 * JSON array, read by {@code JSON_TABLE}, and are inserted only if none of them is in the table
 * ({@link #FREE_ROWS}). If one is (held, or lapsed and not swept yet), the general claim decides
 * in the same transaction. Inserts skip taken rows ({@code INSERT IGNORE}): a short count is a
 * lost race.
 */
final class MariaDbSql extends DialectSql {

    /**
     * Claims of more rows take the general claim, whose statements are of bounded size: the JSON
     * of one row is up to about 1 KB, and a statement must fit the server's
     * {@code max_allowed_packet} (16 MB by default).
     */
    static final int ONE_STATEMENT_MAX_ROWS = 10_000;

    /** The rows as a table; a {@link Row}'s entity and id always fit its columns, as they fit the table's. */
    private static final String ROWS = "JSON_TABLE(?, '$[*]' COLUMNS ("
            + "e VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin PATH '$[0]' ERROR ON EMPTY,"
            + " i VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin PATH '$[1]' ERROR ON EMPTY))";

    /**
     * Inserts the marks of a claim's rows, sorted (so overlapping claims lock in one order), if
     * none of the rows is in the table: the rows (a JSON array of [entity, id] pairs) are read twice,
     * once to check each on the primary key, once to insert.
     */
    private static final String FREE_ROWS = "INSERT IGNORE INTO cg_object_lock (namespace, " + LockTable.COLUMNS
            + ") SELECT ?, w.e, w.i, ?, ?, ?, ?, ?, ?, 'R', ? FROM " + ROWS + " w"
            + " WHERE NOT EXISTS (SELECT 1 FROM cg_object_lock l JOIN " + ROWS + " v"
            + " ON l.model_name = v.e AND l.object_id = v.i WHERE l.namespace = ?) ORDER BY w.e, w.i";

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** Whether the server has {@code JSON_TABLE} (10.6+); null until the first claim asks it. */
    private volatile Boolean jsonTable;
    /**
     * Whether the unit's transactions run at READ COMMITTED already (read when the store starts),
     * so that claims and releases need not set it: one statement less each.
     */
    private volatile boolean unitReadCommitted;

    /**
     * Reads the level the unit's transactions run at ({@code tx_isolation}, or
     * {@code transaction_isolation} on MariaDB 11.1+); claims and releases set READ COMMITTED
     * themselves unless it is that already.
     */
    @Override
    String readCommitted(EntityManager em, LockTable table) {
        List<?> levels = table.query(em, "SELECT VARIABLE_VALUE FROM information_schema.SESSION_VARIABLES"
                + " WHERE VARIABLE_NAME IN ('TX_ISOLATION', 'TRANSACTION_ISOLATION')").getResultList();
        unitReadCommitted = !levels.isEmpty() && levels.stream().allMatch(l -> "READ-COMMITTED".equals(String.valueOf(l)));
        return null;
    }

    @Override
    boolean commitsEachStatement(EntityManager em, LockTable table) {
        return LockTable.number(table.query(em, "SELECT @@autocommit").getSingleResult()) != 0;
    }

    @Override
    void beginClaim(EntityManager em, LockTable table) {
        if (!unitReadCommitted) {
            table.query(em, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED").executeUpdate();
        }
    }

    /** Whether claims and releases set READ COMMITTED themselves (the unit's transactions run above it). */
    boolean setsReadCommitted() {
        return !unitReadCommitted;
    }

    /**
     * A release runs at READ COMMITTED too: at REPEATABLE READ its delete takes next-key locks,
     * and with eight threads claiming and releasing random overlapping rows about one claim in
     * twenty deadlocked with a release (and was retried).
     */
    @Override
    int deleteClaim(EntityManager em, LockTable table, String operationId, long token) {
        beginClaim(em, table);
        return super.deleteClaim(em, table, operationId, token);
    }

    @Override
    int insertFreeRows(EntityManager em, LockTable table, ClaimSpec spec, long token, long now) {
        if (spec.rows().size() > ONE_STATEMENT_MAX_ROWS || !hasJsonTable(em, table)) {
            return -1;
        }
        String rows = json(spec.rows());
        return table.query(em, FREE_ROWS, table.namespace(), spec.operationId(), LockTable.nullToEmpty(spec.label()),
                LockTable.nullToEmpty(spec.user()), token, now, now + spec.lease().toMillis(), LockTable.mode(spec),
                rows, rows, table.namespace()).executeUpdate();
    }

    private boolean hasJsonTable(EntityManager em, LockTable table) {
        Boolean known = jsonTable;
        if (known == null) {
            known = hasJsonTable(String.valueOf(table.query(em, "SELECT VERSION()").getSingleResult()));
            jsonTable = known;
        }
        return known;
    }

    /** Whether a MariaDB {@code VERSION()} answer ({@code 10.11.19-MariaDB-...}) is 10.6 or later. */
    static boolean hasJsonTable(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        return major > 10 || major == 10 && Integer.parseInt(m.group(2)) >= 6;
    }

    /** The rows as a JSON array of [entity, id] pairs. */
    static String json(List<Row> rows) {
        StringBuilder json = new StringBuilder(rows.size() * 24).append('[');
        for (int r = 0; r < rows.size(); r++) {
            json.append(r == 0 ? "[" : ",[");
            string(json, rows.get(r).entity());
            json.append(',');
            string(json, rows.get(r).id());
            json.append(']');
        }
        return json.append(']').toString();
    }

    private static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    @Override
    boolean locksJoinersRead() {
        return false;
    }

    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }

    @Override
    String nextToken() {
        return "NEXTVAL(cg_fence_seq)";
    }

    @Override
    String now() {
        return "CAST(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000 AS SIGNED)";
    }

    @Override
    String insertInto() {
        return "INSERT IGNORE INTO";
    }

    @Override
    String lockNamespace() {
        return "INSERT INTO cg_namespace (namespace) VALUES (?) ON DUPLICATE KEY UPDATE namespace = namespace";
    }
}
