package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.StoreException;
import org.conflictguard.SweepSummary;
import org.conflictguard.internal.Settings;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;

/**
 * Keeps claims in the {@code cg_object_lock} table. Each call runs in its own short
 * transaction on a RESOURCE_LOCAL persistence unit, never the caller's. A claim reads the
 * requested rows, refuses if any is held under a live lease, replaces rows whose lease lapsed,
 * and inserts the rest in sorted order (so overlapping claims cannot deadlock each other); the
 * primary key on (namespace, model_name, object_id) turns any race into a rolled-back claim
 * that is then reported as a conflict. Deadlocks and serialization failures are retried.
 * Leases are measured by the database clock; fencing tokens come from the
 * {@code cg_fence_seq} sequence.
 *
 * <p>Thread-safe.
 */
public final class JpaClaimStore implements ClaimStore {

    private static final System.Logger LOG = System.getLogger(JpaClaimStore.class.getName());
    private static final int SELECT_CHUNK = 1000;
    /** Rows per insert statement: larger ones gain nothing and slow EclipseLink down sharply. */
    private static final int INSERT_CHUNK = 100;
    private static final int DELETE_CHUNK = 250;
    private static final int ATTEMPTS = 6;
    private static final String COLUMNS =
            "model_name, object_id, operation_id, label, user_name, token, created_at, lease_until";

    private final EntityManagerFactory emf;
    private final String namespace;
    private final SqlDialect dialect;
    private final String headSql;
    /** PostgreSQL: check and insert every row in one statement; null on other databases. */
    private final String fastClaimSql;

    private JpaClaimStore(EntityManagerFactory emf, String namespace, SqlDialect dialect) {
        this.emf = emf;
        this.namespace = namespace;
        this.dialect = dialect;
        this.headSql = "SELECT " + dialect.nextToken + ", " + dialect.now
                + ", (SELECT COUNT(*) FROM cg_object_lock WHERE namespace = ? AND operation_id = ? AND lease_until > "
                + dialect.now + ")";
        this.fastClaimSql = dialect != SqlDialect.POSTGRESQL ? null : "WITH head AS (SELECT " + dialect.nextToken
                + " AS token, " + dialect.now + " AS now),"
                + " wanted AS (SELECT w.e AS model_name, w.i AS object_id"
                + " FROM json_to_recordset(CAST(? AS json)) AS w(e text, i text)),"
                + " taken AS (SELECT 1 FROM cg_object_lock l JOIN wanted w"
                + " ON l.model_name = w.model_name AND l.object_id = w.object_id WHERE l.namespace = ?),"
                + " busy AS (SELECT COUNT(*) AS n FROM cg_object_lock l, head h"
                + " WHERE l.namespace = ? AND l.operation_id = ? AND l.lease_until > h.now),"
                + " ins AS (INSERT INTO cg_object_lock (namespace, " + COLUMNS + ")"
                + " SELECT ?, w.model_name, w.object_id, ?, ?, ?, h.token, h.now, h.now + ? FROM wanted w, head h"
                + " WHERE NOT EXISTS (SELECT 1 FROM taken) AND (SELECT n FROM busy) = 0"
                + " ORDER BY w.model_name, w.object_id RETURNING 1)"
                + " SELECT h.token, h.now, (SELECT n FROM busy), (SELECT COUNT(*) FROM taken),"
                + " (SELECT COUNT(*) FROM ins) FROM head h";
    }

    /**
     * A store on this persistence unit in this namespace, asking the database which dialect
     * to speak.
     *
     * @see #create(EntityManagerFactory, String, String)
     */
    public static JpaClaimStore create(EntityManagerFactory emf, String namespace) {
        return create(emf, namespace, "auto");
    }

    /**
     * A store on this persistence unit in this namespace. Checks that the unit is
     * RESOURCE_LOCAL and that the table and sequence exist.
     *
     * @param emf a RESOURCE_LOCAL persistence unit that reaches the {@code cg_object_lock} table
     * @param namespace 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}
     * @param dialect {@code auto}, {@code h2}, {@code postgresql} or {@code mariadb}
     * @throws ConfigurationException if the unit is JTA, the dialect is unknown or cannot be
     *     detected, or the table or sequence is missing (naming the DDL file to apply)
     */
    public static JpaClaimStore create(EntityManagerFactory emf, String namespace, String dialect) {
        Settings.checkNamespace(namespace);
        checkResourceLocal(emf);
        SqlDialect chosen = "auto".equalsIgnoreCase(dialect) ? detect(emf) : parse(dialect);
        JpaClaimStore store = new JpaClaimStore(emf, namespace, chosen);
        store.checkSchema();
        return store;
    }

    @Override
    public ClaimOutcome claim(ClaimSpec spec) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction("claim", em -> tryClaim(em, spec));
            } catch (RaceLost race) {
                // Another claim committed some of these rows first: report it like any conflict.
                Map<Row, Holder> held = inspect(spec.rows());
                if (!held.isEmpty()) {
                    List<RowClaim> conflicts = new ArrayList<>();
                    held.forEach((row, holder) -> conflicts.add(new RowClaim(row, holder)));
                    return ClaimOutcome.refused(conflicts);
                }
                if (attempt == ATTEMPTS) {
                    throw new StoreException("Database store (" + description() + "): claim of " + spec.rows().size()
                            + " row(s) for operation '" + spec.operationId() + "' kept meeting concurrent claims;"
                            + " nothing was claimed, retry later", race.getCause());
                }
                backOff(attempt);
            }
        }
    }

    private ClaimOutcome tryClaim(EntityManager em, ClaimSpec spec) {
        long token;
        long now;
        if (fastClaimSql != null) {
            // One statement: take a token, check the operation and every row, insert them all if all are free.
            // A plain insert (no ON CONFLICT, whose speculative insertion costs a fifth more): a claim that
            // commits the same rows between the check and the insert makes it fail with a unique violation.
            Object[] fast;
            try {
                fast = (Object[]) query(em, fastClaimSql, json(spec.rows()), namespace, namespace,
                        spec.operationId(), namespace, spec.operationId(), nullToEmpty(spec.label()),
                        nullToEmpty(spec.user()), spec.lease().toMillis()).getSingleResult();
            } catch (RuntimeException e) {
                if (SqlErrors.isUniqueViolation(e)) {
                    // A concurrent claim committed some of these rows after this statement's check.
                    throw new RaceLost(e);
                }
                throw e;
            }
            token = number(fast[0]);
            now = number(fast[1]);
            if (number(fast[2]) > 0) {
                throw new Busy(spec.operationId());
            }
            if (number(fast[3]) == 0) {
                if (number(fast[4]) < spec.rows().size()) {
                    throw new RaceLost(null);
                }
                return granted(em, spec, token, now);
            }
            // Some rows are in the table (held, or lapsed and not swept yet): the general path decides.
        } else {
            Object[] head = (Object[]) query(em, headSql, namespace, spec.operationId()).getSingleResult();
            token = number(head[0]);
            now = number(head[1]);
            if (number(head[2]) > 0) {
                throw new Busy(spec.operationId());
            }
        }
        List<Object[]> existing = select(em, spec.rows(), null);
        List<RowClaim> conflicts = new ArrayList<>();
        List<Object[]> lapsed = new ArrayList<>();
        for (Object[] row : existing) {
            if (number(row[7]) > now) {
                conflicts.add(rowClaim(row));
            } else {
                lapsed.add(row);
            }
        }
        if (!conflicts.isEmpty()) {
            conflicts.sort((a, b) -> a.row().compareTo(b.row()));
            return ClaimOutcome.refused(conflicts);
        }
        deleteLapsed(em, lapsed);
        long leaseUntil = now + spec.lease().toMillis();
        try {
            insert(em, spec, token, now, leaseUntil);
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                throw new RaceLost(e);
            }
            throw e;
        }
        return granted(em, spec, token, now);
    }

    private ClaimOutcome granted(EntityManager em, ClaimSpec spec, long token, long now) {
        long leaseUntil = now + spec.lease().toMillis();
        if (spec.rows().size() > INSERT_CHUNK) {
            // A large claim takes a while to write: start its lease when it is written, not when it began.
            long written = now(em);
            if (written - now > spec.lease().toMillis() / 10) {
                leaseUntil = written + spec.lease().toMillis();
                query(em, "UPDATE cg_object_lock SET lease_until = ? WHERE namespace = ? AND operation_id = ? AND token = ?",
                        leaseUntil, namespace, spec.operationId(), token).executeUpdate();
            }
        }
        return ClaimOutcome.granted(token, Instant.ofEpochMilli(now), Instant.ofEpochMilli(leaseUntil));
    }

    /** The rows as a JSON array of {"e": entity, "i": id}, for the one-statement claim. */
    private static String json(List<Row> rows) {
        StringBuilder json = new StringBuilder(rows.size() * 24 + 2).append('[');
        for (int r = 0; r < rows.size(); r++) {
            json.append(r == 0 ? "{\"e\":" : ",{\"e\":");
            jsonString(json, rows.get(r).entity());
            json.append(",\"i\":");
            jsonString(json, rows.get(r).id());
            json.append('}');
        }
        return json.append(']').toString();
    }

    private static void jsonString(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    private void deleteLapsed(EntityManager em, List<Object[]> lapsed) {
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

    private void insert(EntityManager em, ClaimSpec spec, long token, long now, long leaseUntil) {
        List<Row> rows = spec.rows();
        String label = nullToEmpty(spec.label());
        String user = nullToEmpty(spec.user());
        for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
            List<Row> chunk = rows.subList(from, Math.min(from + INSERT_CHUNK, rows.size()));
            StringBuilder sql = new StringBuilder(dialect.insertInto).append(" cg_object_lock (namespace, ")
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
            if (query(em, sql.append(dialect.insertSuffix).toString(), params.toArray()).executeUpdate() < chunk.size()) {
                throw new RaceLost(null);
            }
        }
    }

    @Override
    public Optional<Instant> renew(String operationId, long token, Duration lease) {
        return inTransaction("renew", em -> {
            long now = now(em);
            long leaseUntil = now + lease.toMillis();
            int renewed = query(em, "UPDATE cg_object_lock SET lease_until = ? WHERE namespace = ? AND operation_id = ?"
                    + " AND token = ? AND lease_until > ?", leaseUntil, namespace, operationId, token, now).executeUpdate();
            return renewed > 0 ? Optional.of(Instant.ofEpochMilli(leaseUntil)) : Optional.empty();
        });
    }

    @Override
    public boolean holds(String operationId, long token) {
        return inTransaction("holds", em -> !query(em, "SELECT token FROM cg_object_lock WHERE namespace = ?"
                + " AND operation_id = ? AND token = ? AND lease_until > " + dialect.now, namespace, operationId, token)
                .setMaxResults(1).getResultList().isEmpty());
    }

    @Override
    public int release(String operationId, long token) {
        return inTransaction("release", em -> query(em, "DELETE FROM cg_object_lock WHERE namespace = ?"
                + " AND operation_id = ? AND token = ?", namespace, operationId, token).executeUpdate());
    }

    @Override
    public Map<Row, Holder> inspect(Collection<Row> rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        List<Row> sorted = new ArrayList<>(new TreeSet<>(rows));
        List<Object[]> found = inTransaction("inspect", em -> select(em, sorted, dialect.now));
        return toMap(found);
    }

    @Override
    public Optional<java.util.Set<String>> claimedIds(String entity, int limit) {
        List<?> ids = inTransaction("claimedIds", em -> query(em, "SELECT object_id FROM cg_object_lock"
                + " WHERE namespace = ? AND model_name = ? AND lease_until > " + dialect.now, namespace, entity)
                .setMaxResults(limit + 1).getResultList());
        if (ids.size() > limit) {
            return Optional.empty();
        }
        java.util.Set<String> found = new java.util.HashSet<>(ids.size() * 2);
        ids.forEach(id -> found.add(String.valueOf(id)));
        return Optional.of(found);
    }

    @Override
    public List<RowClaim> claimsOf(String operationId) {
        List<Object[]> found = inTransaction("claimsOf", em -> list(query(em, "SELECT " + COLUMNS
                + " FROM cg_object_lock WHERE namespace = ? AND operation_id = ? AND lease_until > " + dialect.now,
                namespace, operationId)));
        List<RowClaim> claims = new ArrayList<>();
        toMap(found).forEach((row, holder) -> claims.add(new RowClaim(row, holder)));
        return claims;
    }

    @Override
    public int forceRelease(String operationId) {
        return inTransaction("forceRelease", em -> query(em,
                "DELETE FROM cg_object_lock WHERE namespace = ? AND operation_id = ?", namespace, operationId)
                .executeUpdate());
    }

    @Override
    public SweepSummary sweep() {
        return inTransaction("sweep", em -> {
            long now = now(em);
            long claims = number(query(em, "SELECT COUNT(DISTINCT token) FROM cg_object_lock WHERE namespace = ?"
                    + " AND lease_until <= ?", namespace, now).getSingleResult());
            int rows = query(em, "DELETE FROM cg_object_lock WHERE namespace = ? AND lease_until <= ?", namespace, now)
                    .executeUpdate();
            return new SweepSummary(rows == 0 ? 0 : (int) claims, rows);
        });
    }

    @Override
    public String description() {
        return "database (" + dialect.settingValue() + "), namespace '" + namespace + "'";
    }

    @Override
    public String toString() {
        return "JpaClaimStore[" + description() + "]";
    }

    /** Rows among {@code rows} (sorted), optionally only those live at {@code liveAt}; chunked. */
    private List<Object[]> select(EntityManager em, List<Row> rows, String liveAt) {
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
            if (liveAt != null) {
                sql.append(" AND lease_until > ").append(liveAt);
            }
            found.addAll(list(query(em, sql.toString(), params.toArray())));
        }
        return found;
    }

    private static Map<Row, Holder> toMap(List<Object[]> rows) {
        TreeMap<Row, Holder> sorted = new TreeMap<>();
        for (Object[] row : rows) {
            RowClaim claim = rowClaim(row);
            sorted.put(claim.row(), claim.holder());
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }

    private static RowClaim rowClaim(Object[] row) {
        return new RowClaim(new Row((String) row[0], (String) row[1]), new Holder((String) row[2],
                emptyToNull(row[3]), emptyToNull(row[4]), Instant.ofEpochMilli(number(row[6])),
                Instant.ofEpochMilli(number(row[7]))));
    }

    private long now(EntityManager em) {
        return number(query(em, "SELECT " + dialect.now).getSingleResult());
    }

    private <T> T inTransaction(String what, Function<EntityManager, T> work) {
        for (int attempt = 1; ; attempt++) {
            EntityManager em = emf.createEntityManager();
            EntityTransaction tx = em.getTransaction();
            try {
                tx.begin();
                T result = work.apply(em);
                tx.commit();
                return result;
            } catch (Signal signal) {
                rollback(tx);
                if (signal instanceof Busy busy) {
                    throw new IllegalStateException("Operation '" + busy.operationId + "' already holds a live claim;"
                            + " release it before claiming again, or use a new operation id");
                }
                throw signal;
            } catch (RuntimeException e) {
                rollback(tx);
                if (SqlErrors.isRetryable(e) && attempt < ATTEMPTS) {
                    LOG.log(System.Logger.Level.DEBUG, "retrying {0} after {1}", what, e);
                    backOff(attempt);
                    continue;
                }
                throw new StoreException("Database store (" + description() + ") failed on '" + what + "': "
                        + e.getMessage() + "; check the database connection. The transaction was rolled back", e);
            } finally {
                em.close();
            }
        }
    }

    private static void rollback(EntityTransaction tx) {
        try {
            if (tx.isActive()) {
                tx.rollback();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "rollback failed", e);
        }
    }

    private static void backOff(int attempt) {
        long bound = Math.min(200, 5L << attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, bound));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a database claim", e);
        }
    }

    private static Query query(EntityManager em, String sql, Object... params) {
        Query query = em.createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        return query;
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> list(Query query) {
        return (List<Object[]>) query.getResultList();
    }

    private void checkSchema() {
        try {
            inTransaction("check", em -> query(em, headSql, namespace, "").getSingleResult());
        } catch (StoreException e) {
            throw new ConfigurationException(ConfigKeys.DATABASE_DIALECT, "The database store cannot use table"
                    + " cg_object_lock and sequence cg_fence_seq (" + rootMessage(e) + "); apply"
                    + " META-INF-templates/ddl/" + dialect.settingValue() + ".sql to the database, or check "
                    + ConfigKeys.DATABASE_DIALECT + " (now " + dialect.settingValue() + ")", e);
        }
    }

    private static void checkResourceLocal(EntityManagerFactory emf) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction();
        } catch (IllegalStateException jta) {
            throw new ConfigurationException(ConfigKeys.PERSISTENCE_UNIT, "The database store needs a RESOURCE_LOCAL"
                    + " persistence unit so that claims commit in their own transaction, but this one uses JTA; declare"
                    + " one like META-INF-templates/persistence-unit.xml and name it in " + ConfigKeys.PERSISTENCE_UNIT,
                    jta);
        } finally {
            em.close();
        }
    }

    private static SqlDialect detect(EntityManagerFactory emf) {
        SqlDialect fromProvider = SqlDialect.fromName(providerDialect(emf));
        if (fromProvider != null) {
            return fromProvider;
        }
        for (String probe : List.of("SELECT VERSION()", "SELECT H2VERSION()")) {
            EntityManager em = emf.createEntityManager();
            EntityTransaction tx = em.getTransaction();
            try {
                tx.begin();
                String version = String.valueOf(em.createNativeQuery(probe).getSingleResult());
                tx.commit();
                SqlDialect found = probe.contains("H2") ? SqlDialect.H2 : SqlDialect.fromName(version);
                if (found != null) {
                    return found;
                }
                throw new ConfigurationException(ConfigKeys.DATABASE_DIALECT, "The database store supports H2,"
                        + " PostgreSQL and MariaDB; this database answers version '" + version + "'. Set "
                        + ConfigKeys.DATABASE_DIALECT + " if it speaks one of their dialects, or use Redis");
            } catch (ConfigurationException e) {
                throw e;
            } catch (RuntimeException e) {
                rollback(tx);
            } finally {
                em.close();
            }
        }
        throw new ConfigurationException(ConfigKeys.DATABASE_DIALECT, "Could not tell which database the persistence"
                + " unit reaches; set " + ConfigKeys.DATABASE_DIALECT + " to h2, postgresql or mariadb");
    }

    /**
     * The provider's own name for its dialect (Hibernate's Dialect, EclipseLink's platform), read
     * reflectively so that neither provider is needed to compile or run; null if neither answers.
     */
    private static String providerDialect(EntityManagerFactory emf) {
        String[][] paths = {
            {"org.hibernate.engine.spi.SessionFactoryImplementor", "getJdbcServices", "getDialect"},
            {"org.eclipse.persistence.jpa.JpaEntityManagerFactory", "getDatabaseSession", "getDatasourcePlatform"},
        };
        for (String[] path : paths) {
            try {
                Object target = emf.unwrap(Class.forName(path[0], false, emf.getClass().getClassLoader()));
                for (int i = 1; i < path.length; i++) {
                    target = target.getClass().getMethod(path[i]).invoke(target);
                }
                return target.getClass().getName();
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.TRACE, "dialect not read through " + path[0], e);
            }
        }
        return null;
    }

    private static SqlDialect parse(String dialect) {
        try {
            return SqlDialect.valueOf(String.valueOf(dialect).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(ConfigKeys.DATABASE_DIALECT, ConfigKeys.DATABASE_DIALECT + "='" + dialect
                    + "' is not supported; use auto, h2, postgresql or mariadb");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String emptyToNull(Object text) {
        return text == null || "".equals(text) ? null : text.toString();
    }

    /** Control flow out of a transaction that must not be retried as a failure. */
    private abstract static class Signal extends RuntimeException {
        Signal(Throwable cause) {
            super(null, cause, false, false);
        }
    }

    /** The insert met a row a concurrent claim had just taken. */
    private static final class RaceLost extends Signal {
        RaceLost(Throwable cause) {
            super(cause);
        }
    }

    /** The operation already holds a live claim. */
    private static final class Busy extends Signal {
        final String operationId;

        Busy(String operationId) {
            super(null);
            this.operationId = operationId;
        }
    }
}
