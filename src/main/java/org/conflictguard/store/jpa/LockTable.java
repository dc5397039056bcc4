package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;

/**
 * The {@code cg_object_lock} table of one namespace: the statements that read and write it, in
 * chunks where a claim can be large, and the mapping of its rows to holders. Every method runs in
 * the transaction of the {@link EntityManager} it is given. Immutable and thread-safe.
 */
final class LockTable {

    static final String COLUMNS =
            "model_name, object_id, operation_id, label, user_name, token, created_at, lease_until";
    private static final int SELECT_CHUNK = 1000;
    /** Rows per insert statement: larger ones gain nothing and slow EclipseLink down sharply. */
    private static final int INSERT_CHUNK = 100;
    private static final int DELETE_CHUNK = 250;

    /** A claim's start: a fencing token, the database's now, and whether the operation holds a live claim. */
    record Head(long token, long now, boolean busy) {
    }

    private final String namespace;
    private final DialectSql dialect;
    private final String headSql;

    LockTable(String namespace, DialectSql dialect) {
        this.namespace = namespace;
        this.dialect = dialect;
        this.headSql = "SELECT " + dialect.nextToken() + ", " + dialect.now()
                + ", (SELECT COUNT(*) FROM cg_object_lock WHERE namespace = ? AND operation_id = ? AND lease_until > "
                + dialect.now() + ")";
    }

    String namespace() {
        return namespace;
    }

    Head head(EntityManager em, String operationId) {
        Object[] head = (Object[]) query(em, headSql, namespace, operationId).getSingleResult();
        return new Head(number(head[0]), number(head[1]), number(head[2]) > 0);
    }

    /** Rows among {@code rows} (sorted), all or only those with a live lease; one statement per chunk. */
    List<Object[]> select(EntityManager em, List<Row> rows, boolean liveOnly) {
        List<Object[]> found = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += SELECT_CHUNK) {
            List<Row> chunk = rows.subList(from, Math.min(from + SELECT_CHUNK, rows.size()));
            StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS)
                    .append(" FROM cg_object_lock WHERE namespace = ? AND (");
            List<Object> params = new ArrayList<>(chunk.size() + 8);
            params.add(namespace);
            String entity = null;
            for (Row row : chunk) {
                if (!row.entity().equals(entity)) {
                    sql.append(entity == null ? "" : ") OR ").append("model_name = ? AND object_id IN (?");
                    entity = row.entity();
                    params.add(entity);
                } else {
                    sql.append(", ?");
                }
                params.add(row.id());
            }
            sql.append("))");
            if (liveOnly) {
                sql.append(" AND lease_until > ").append(dialect.now());
            }
            found.addAll(list(query(em, sql.toString(), params.toArray())));
        }
        return found;
    }

    /** Deletes rows of lapsed claims, each only if it still carries the token it was read with. */
    void deleteLapsed(EntityManager em, List<Object[]> lapsed) {
        for (int from = 0; from < lapsed.size(); from += DELETE_CHUNK) {
            List<Object[]> chunk = lapsed.subList(from, Math.min(from + DELETE_CHUNK, lapsed.size()));
            StringBuilder sql = new StringBuilder("DELETE FROM cg_object_lock WHERE namespace = ? AND (");
            List<Object> params = new ArrayList<>(chunk.size() * 3 + 1);
            params.add(namespace);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : " OR ").append("(model_name = ? AND object_id = ? AND token = ?)");
                params.add(chunk.get(i)[0]);
                params.add(chunk.get(i)[1]);
                params.add(number(chunk.get(i)[5]));
            }
            query(em, sql.append(')').toString(), params.toArray()).executeUpdate();
        }
    }

    /**
     * Inserts every row of the claim in sorted order.
     *
     * @return false if a row was skipped because another claim has it (dialects that skip duplicates)
     * @throws RuntimeException a unique-key violation where the dialect does not skip duplicates
     */
    boolean insert(EntityManager em, ClaimSpec spec, long token, long now) {
        List<Row> rows = spec.rows();
        long leaseUntil = now + spec.lease().toMillis();
        String label = nullToEmpty(spec.label());
        String user = nullToEmpty(spec.user());
        for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
            List<Row> chunk = rows.subList(from, Math.min(from + INSERT_CHUNK, rows.size()));
            StringBuilder sql = new StringBuilder(dialect.insertInto()).append(" cg_object_lock (namespace, ")
                    .append(COLUMNS).append(") VALUES ");
            List<Object> params = new ArrayList<>(chunk.size() * 9);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?)");
                Row row = chunk.get(i);
                params.add(namespace);
                params.add(row.entity());
                params.add(row.id());
                params.add(spec.operationId());
                params.add(label);
                params.add(user);
                params.add(token);
                params.add(now);
                params.add(leaseUntil);
            }
            if (query(em, sql.append(dialect.insertSuffix()).toString(), params.toArray()).executeUpdate()
                    < chunk.size()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The granted outcome of a claim just written. A large claim takes a while to write: its lease
     * starts when it is written, not when it began.
     */
    ClaimOutcome granted(EntityManager em, ClaimSpec spec, long token, long now) {
        long leaseUntil = now + spec.lease().toMillis();
        if (spec.rows().size() > INSERT_CHUNK) {
            long written = now(em);
            if (written - now > spec.lease().toMillis() / 10) {
                leaseUntil = written + spec.lease().toMillis();
                query(em, "UPDATE cg_object_lock SET lease_until = ? WHERE namespace = ? AND operation_id = ?"
                        + " AND token = ?", leaseUntil, namespace, spec.operationId(), token).executeUpdate();
            }
        }
        return ClaimOutcome.granted(token, Instant.ofEpochMilli(now), Instant.ofEpochMilli(leaseUntil));
    }

    /** The database's now, in epoch milliseconds. */
    long now(EntityManager em) {
        return number(query(em, "SELECT " + dialect.now()).getSingleResult());
    }

    /** A native query with positional parameters. */
    Query query(EntityManager em, String sql, Object... params) {
        Query query = em.createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        return query;
    }

    @SuppressWarnings("unchecked")
    static List<Object[]> list(Query query) {
        return (List<Object[]>) query.getResultList();
    }

    /** Rows of the table (in {@link #COLUMNS} order) as holders by row, in row order. */
    static Map<Row, Holder> toMap(List<Object[]> rows) {
        TreeMap<Row, Holder> sorted = new TreeMap<>();
        for (Object[] row : rows) {
            RowClaim claim = rowClaim(row);
            sorted.put(claim.row(), claim.holder());
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }

    /** One row of the table (in {@link #COLUMNS} order) as a row and its holder. */
    static RowClaim rowClaim(Object[] row) {
        return new RowClaim(new Row((String) row[0], (String) row[1]), new Holder((String) row[2],
                emptyToNull(row[3]), emptyToNull(row[4]), Instant.ofEpochMilli(number(row[6])),
                Instant.ofEpochMilli(number(row[7]))));
    }

    static long number(Object value) {
        return ((Number) value).longValue();
    }

    static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String emptyToNull(Object text) {
        return text == null || "".equals(text) ? null : text.toString();
    }
}
