package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.conflictguard.ClaimMode;
import org.conflictguard.Holder;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimRecord;
import org.conflictguard.spi.ClaimSpec;

/**
 * The {@code cg_object_lock} table of one namespace: the statements that read and write it, in
 * chunks where a claim can be large, and the mapping of its rows to holders. Every method runs in
 * the transaction of the {@link EntityManager} it is given. Immutable and thread-safe.
 */
final class LockTable {

    static final String COLUMNS =
            "model_name, object_id, operation_id, label, user_name, token, created_at, lease_until, scope, claim_mode";
    /** The columns of {@code cg_intent} after the namespace. */
    private static final String INTENT_COLUMNS =
            "model_name, object_id, token, operation_id, label, user_name, created_at, lease_until, claim_mode";
    private static final int SELECT_CHUNK = 1000;
    /** Rows per insert statement: larger ones gain nothing and slow EclipseLink down sharply. */
    private static final int INSERT_CHUNK = 100;
    private static final int DELETE_CHUNK = 250;

    /**
     * A claim's start: a fencing token, the database's now, whether the operation holds a live
     * claim, and whether any claim of the namespace has a place in the queue.
     */
    record Head(long token, long now, boolean busy, boolean waiting) {
    }

    private final String namespace;
    private final DialectSql dialect;
    private final String headSql;
    private final WaitQueue queue;

    private final CommitNotices notices;

    /** Sends the payload to watching nodes once the running transaction has committed. */
    void notifyOnCommit(String payload) {
        notices.add(payload);
    }

    LockTable(String namespace, DialectSql dialect, CommitNotices notices) {
        this.namespace = namespace;
        this.dialect = dialect;
        this.notices = notices;
        this.headSql = "SELECT " + dialect.nextToken() + ", " + dialect.now()
                + ", (SELECT COUNT(*) FROM cg_object_lock WHERE namespace = ? AND operation_id = ? AND lease_until > "
                + dialect.now() + "), CASE WHEN EXISTS (SELECT 1 FROM cg_wait WHERE namespace = ?) THEN 1 ELSE 0 END";
        this.queue = new WaitQueue(this, dialect);
    }

    String namespace() {
        return namespace;
    }

    /** The namespace's queue of waiting claims. */
    WaitQueue queue() {
        return queue;
    }

    Head head(EntityManager em, String operationId) {
        Object[] head = (Object[]) query(em, headSql, namespace, operationId, namespace).getSingleResult();
        return new Head(number(head[0]), number(head[1]), number(head[2]) > 0, number(head[3]) > 0);
    }

    /** Marks on {@code rows} (sorted), all or only those with a live lease; one statement per chunk. */
    List<Object[]> select(EntityManager em, List<Row> rows, boolean liveOnly) {
        return selectRows(em, "SELECT " + COLUMNS + " FROM cg_object_lock", rows,
                liveOnly ? " AND lease_until > " + dialect.now() : "");
    }

    /**
     * Every mark on {@code rows} (sorted), read as committed now and locked until the transaction
     * ends: a shared claim that joins the marks it finds keeps them from being released under it
     * until it committed its own.
     */
    List<Object[]> selectForUpdate(EntityManager em, List<Row> rows) {
        return selectRows(em, "SELECT " + COLUMNS + " FROM cg_object_lock", rows, " FOR UPDATE");
    }

    /**
     * The marks on {@code rows} (sorted) that joined another shared mark (those not in a row's
     * first slot), read as committed now: with {@code locked}, locked until the transaction ends
     * (whatever the isolation level); without, by a plain read, which sees what is committed now
     * only at READ COMMITTED.
     */
    List<Object[]> selectJoiners(EntityManager em, List<Row> rows, boolean locked) {
        return selectRows(em, "SELECT " + COLUMNS + " FROM cg_object_lock", rows, " AND holder_slot <> 0"
                + (locked ? " FOR UPDATE" : ""));
    }

    /** Live subtree marks on {@code rows} (sorted). */
    List<Object[]> selectSubtreeMarks(EntityManager em, List<Row> rows, long now) {
        return selectRows(em, "SELECT " + COLUMNS + " FROM cg_object_lock", rows,
                " AND scope = 'S' AND lease_until > " + now);
    }

    /** Live intentions on {@code rows} (sorted), as (model_name, object_id, token, operation_id, label, user_name, created_at, lease_until). */
    List<Object[]> selectIntents(EntityManager em, List<Row> rows, String liveAt) {
        return selectRows(em, "SELECT " + INTENT_COLUMNS + " FROM cg_intent", rows, " AND lease_until > " + liveAt);
    }

    /** Rows of {@code select} (a table of this namespace) on {@code rows} (sorted); one statement per chunk. */
    List<Object[]> selectRows(EntityManager em, String select, List<Row> rows, String condition) {
        List<Object[]> found = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += SELECT_CHUNK) {
            List<Row> chunk = rows.subList(from, Math.min(from + SELECT_CHUNK, rows.size()));
            StringBuilder sql = new StringBuilder(select).append(" WHERE namespace = ? AND (");
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
            sql.append("))").append(condition);
            found.addAll(list(query(em, sql.toString(), params.toArray())));
        }
        return found;
    }

    /**
     * Locks this namespace's row in {@code cg_namespace} until the transaction ends, creating it
     * if needed: claims that take part in a hierarchy pass their checks one at a time.
     */
    void lockNamespace(EntityManager em) {
        query(em, dialect.lockNamespace(), namespace).executeUpdate();
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
     * Inserts every row of the claim in sorted order: at slot 0, or, for a row in {@code joined}
     * (live shared marks this shared claim joins), at the claim's token.
     *
     * @return false if a row was skipped because another claim has it (dialects that skip duplicates)
     * @throws RuntimeException a unique-key violation where the dialect does not skip duplicates
     */
    boolean insert(EntityManager em, ClaimSpec spec, long token, long now, Set<Row> joined) {
        List<Mark> marks = spec.marks();
        long leaseUntil = now + spec.lease().toMillis();
        String label = nullToEmpty(spec.label());
        String user = nullToEmpty(spec.user());
        for (int from = 0; from < marks.size(); from += INSERT_CHUNK) {
            List<Mark> chunk = marks.subList(from, Math.min(from + INSERT_CHUNK, marks.size()));
            StringBuilder sql = new StringBuilder(dialect.insertInto()).append(" cg_object_lock (namespace, ")
                    .append(COLUMNS).append(", holder_slot) VALUES ");
            List<Object> params = new ArrayList<>(chunk.size() * 12);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                Mark mark = chunk.get(i);
                params.add(namespace);
                params.add(mark.row().entity());
                params.add(mark.row().id());
                params.add(spec.operationId());
                params.add(label);
                params.add(user);
                params.add(token);
                params.add(now);
                params.add(leaseUntil);
                params.add(mark.scope() == Scope.SUBTREE ? "S" : "R");
                params.add(mode(spec));
                params.add(joined.contains(mark.row()) ? token : 0L);
            }
            if (query(em, sql.append(dialect.insertSuffix()).toString(), params.toArray()).executeUpdate()
                    < chunk.size()) {
                return false;
            }
        }
        List<Row> ancestors = spec.ancestors();
        for (int from = 0; from < ancestors.size(); from += INSERT_CHUNK) {
            List<Row> chunk = ancestors.subList(from, Math.min(from + INSERT_CHUNK, ancestors.size()));
            StringBuilder sql = new StringBuilder("INSERT INTO cg_intent (namespace, ").append(INTENT_COLUMNS)
                    .append(") VALUES ");
            List<Object> params = new ArrayList<>(chunk.size() * 10);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                params.add(namespace);
                params.add(chunk.get(i).entity());
                params.add(chunk.get(i).id());
                params.add(token);
                params.add(spec.operationId());
                params.add(label);
                params.add(user);
                params.add(now);
                params.add(leaseUntil);
                params.add(mode(spec));
            }
            query(em, sql.toString(), params.toArray()).executeUpdate();
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
            long written = Math.max(now, dialect.writtenAt(em, this));
            if (written - now > spec.lease().toMillis() / 10) {
                leaseUntil = written + spec.lease().toMillis();
                setLease(em, spec.operationId(), token, leaseUntil, null);
            }
        }
        return ClaimOutcome.granted(token, Instant.ofEpochMilli(now), Instant.ofEpochMilli(leaseUntil));
    }

    /**
     * Moves the lease end of a claim's marks and intentions.
     *
     * @param liveAfter only if the claim's lease is after this (epoch ms), or null for any
     * @return marks changed
     */
    int setLease(EntityManager em, String operationId, long token, long leaseUntil, Long liveAfter) {
        String live = liveAfter == null ? "" : " AND lease_until > " + liveAfter;
        int marks = query(em, "UPDATE cg_object_lock SET lease_until = ? WHERE namespace = ? AND operation_id = ?"
                + " AND token = ?" + live, leaseUntil, namespace, operationId, token).executeUpdate();
        if (marks > 0) {
            query(em, "UPDATE cg_intent SET lease_until = ? WHERE namespace = ? AND operation_id = ? AND token = ?",
                    leaseUntil, namespace, operationId, token).executeUpdate();
        }
        return marks;
    }

    /** Deletes a claim's marks and intentions; returns marks deleted. */
    int delete(EntityManager em, String operationId, long token) {
        return dialect.deleteClaim(em, this, operationId, token);
    }

    /**
     * The marks of the claims with these tokens, in the order asked, listed while they are at most
     * {@code maxMarks} in all; larger claims name their entities only. Claims not in the table are
     * absent. Reads by the token index.
     */
    List<ClaimRecord> records(EntityManager em, List<Long> tokens, int maxMarks) {
        Map<Long, Long> counts = new HashMap<>();
        for (int from = 0; from < tokens.size(); from += SELECT_CHUNK) {
            List<Long> chunk = tokens.subList(from, Math.min(from + SELECT_CHUNK, tokens.size()));
            for (Object[] row : list(query(em, "SELECT token, COUNT(*) FROM cg_object_lock WHERE namespace = ?"
                    + " AND token IN (" + placeholders(chunk.size()) + ") GROUP BY token", withNamespace(chunk)))) {
                counts.put(number(row[0]), number(row[1]));
            }
        }
        List<Long> listed = new ArrayList<>();
        List<Long> tooLarge = new ArrayList<>();
        long budget = maxMarks;
        for (Long token : tokens) {
            Long count = counts.get(token);
            if (count == null) {
                continue;
            }
            if (count <= budget) {
                budget -= count;
                listed.add(token);
            } else {
                tooLarge.add(token);
            }
        }
        Map<Long, List<Mark>> marks = new HashMap<>();
        for (int from = 0; from < listed.size(); from += SELECT_CHUNK) {
            List<Long> chunk = listed.subList(from, Math.min(from + SELECT_CHUNK, listed.size()));
            for (Object[] row : list(query(em, "SELECT token, model_name, object_id, scope FROM cg_object_lock"
                    + " WHERE namespace = ? AND token IN (" + placeholders(chunk.size()) + ")", withNamespace(chunk)))) {
                marks.computeIfAbsent(number(row[0]), t -> new ArrayList<>()).add(new Mark(new Row((String) row[1],
                        (String) row[2]), "S".equals(String.valueOf(row[3]).trim()) ? Scope.SUBTREE : Scope.ROW));
            }
        }
        Map<Long, ClaimRecord> records = new HashMap<>();
        marks.forEach((token, list) -> records.put(token, ClaimRecord.of(token, list)));
        for (Long token : tooLarge) {
            Set<String> entities = new HashSet<>();
            for (Object entity : query(em, "SELECT DISTINCT model_name FROM cg_object_lock WHERE namespace = ?"
                    + " AND token = ?", namespace, token).getResultList()) {
                entities.add((String) entity);
            }
            records.put(token, ClaimRecord.tooLarge(token, entities));
        }
        List<ClaimRecord> ordered = new ArrayList<>(records.size());
        for (Long token : tokens) {
            ClaimRecord record = records.get(token);
            if (record != null) {
                ordered.add(record);
            }
        }
        return ordered;
    }

    private Object[] withNamespace(List<Long> tokens) {
        Object[] params = new Object[tokens.size() + 1];
        params[0] = namespace;
        for (int i = 0; i < tokens.size(); i++) {
            params[i + 1] = tokens.get(i);
        }
        return params;
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
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

    /** Marks (in {@link #COLUMNS} order) by row, in row order; of shared marks of a row, the widest ({@link RowClaim#wider}). */
    static Map<Row, RowClaim> toMap(List<Object[]> rows) {
        TreeMap<Row, RowClaim> sorted = new TreeMap<>();
        for (Object[] row : rows) {
            RowClaim claim = rowClaim(row);
            sorted.merge(claim.row(), claim, RowClaim::wider);
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }

    /** One mark (in {@link #COLUMNS} order) as a row, its holder and the mark's scope. */
    static RowClaim rowClaim(Object[] row) {
        return new RowClaim(new Row((String) row[0], (String) row[1]), new Holder((String) row[2],
                emptyToNull(row[3]), emptyToNull(row[4]), Instant.ofEpochMilli(number(row[6])),
                Instant.ofEpochMilli(number(row[7])), mode(row[9])), "S".equals(String.valueOf(row[8]).trim())
                        ? Scope.SUBTREE : Scope.ROW, null);
    }

    /** One intention (as {@link #selectIntents} reads it) as its row and its holder. */
    static RowClaim intentClaim(Object[] row) {
        return new RowClaim(new Row((String) row[0], (String) row[1]), new Holder((String) row[3],
                emptyToNull(row[4]), emptyToNull(row[5]), Instant.ofEpochMilli(number(row[6])),
                Instant.ofEpochMilli(number(row[7])), mode(row[8])), Scope.SUBTREE, null);
    }

    /** The mode of a mark or intention as stored ('S' or 'X'). */
    static ClaimMode mode(Object stored) {
        return "S".equals(String.valueOf(stored).trim()) ? ClaimMode.SHARED : ClaimMode.EXCLUSIVE;
    }

    /** The mode of a claim as stored. */
    static String mode(ClaimSpec spec) {
        return spec.isShared() ? "S" : "X";
    }

    /** Whether a mark or intention as read (mode at {@code at}) is shared. */
    static boolean isShared(Object[] row, int at) {
        return mode(row[at]) == ClaimMode.SHARED;
    }

    static long number(Object value) {
        return ((Number) value).longValue();
    }

    static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    /** A stored label or user name: empty means none. */
    static String emptyToNull(Object text) {
        return text == null || "".equals(text) ? null : text.toString();
    }
}
