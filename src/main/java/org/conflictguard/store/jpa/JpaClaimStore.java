package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.Holder;
import org.conflictguard.OperationInUseException;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.StoreException;
import org.conflictguard.SweepSummary;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.Namespaces;

/**
 * Keeps claims in the {@code cg_object_lock} table. Each call runs in its own short
 * transaction on a RESOURCE_LOCAL persistence unit, never the caller's. A claim checks every row
 * it asks for, refuses if any is held under a live lease, takes over rows whose lease lapsed and
 * inserts the rest in sorted order (so overlapping claims cannot deadlock each other); the
 * primary key on (namespace, model_name, object_id) turns any race into a rolled-back claim that
 * is then reported as a conflict. Deadlocks and serialization failures are retried. Leases are
 * measured by the database clock; fencing tokens come from the {@code cg_fence_seq} sequence.
 *
 * <p>Thread-safe.
 */
public final class JpaClaimStore implements ClaimStore {

    private final Transactions transactions;
    private final LockTable table;
    private final DialectSql dialect;
    private final String description;

    private JpaClaimStore(EntityManagerFactory emf, String namespace, DialectSql dialect) {
        this.dialect = dialect;
        this.table = new LockTable(namespace, dialect);
        this.description = "database (" + dialect.dialect().settingValue() + "), namespace '" + namespace + "'";
        this.transactions = new Transactions(emf, description);
    }

    /**
     * A store on this persistence unit in this namespace, asking the database which dialect to
     * speak.
     *
     * @return the store
     * @throws ConfigurationException see {@link #create(EntityManagerFactory, String, Dialect)}
     */
    public static JpaClaimStore create(EntityManagerFactory emf, String namespace) {
        return create(emf, namespace, Dialect.AUTO);
    }

    /**
     * A store on this persistence unit in this namespace. Checks that the unit is
     * RESOURCE_LOCAL and that the table and sequence exist.
     *
     * @param emf a RESOURCE_LOCAL persistence unit that reaches the {@code cg_object_lock} table
     * @param namespace 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}
     * @param dialect the database's dialect, or {@link Dialect#AUTO} to detect it
     * @return the store
     * @throws ConfigurationException if the namespace is not accepted, the unit is JTA, the
     *     dialect cannot be detected, or the table or sequence is missing (naming the DDL file to apply)
     */
    public static JpaClaimStore create(EntityManagerFactory emf, String namespace, Dialect dialect) {
        Namespaces.check(namespace);
        checkResourceLocal(emf);
        Dialect chosen = dialect == Dialect.AUTO ? DialectDetection.detect(emf) : dialect;
        JpaClaimStore store = new JpaClaimStore(emf, namespace, DialectSql.of(chosen));
        store.checkSchema();
        return store;
    }

    /** @throws OperationInUseException if the operation already holds a live claim */
    @Override
    public ClaimOutcome claim(ClaimSpec spec) {
        for (int attempt = 1; ; attempt++) {
            ClaimAttempt result = transactions.run("claim", em -> {
                ClaimAttempt tried = dialect.claim(em, table, spec);
                return tried.commits() ? Transactions.Step.commit(tried) : Transactions.Step.rollback(tried);
            });
            if (result instanceof ClaimAttempt.Decided decided) {
                return decided.outcome();
            }
            if (result instanceof ClaimAttempt.Busy) {
                throw new OperationInUseException(spec.operationId());
            }
            // Another claim committed some of these rows first: report it like any conflict.
            Map<Row, Holder> held = inspect(spec.rows());
            if (!held.isEmpty()) {
                List<RowClaim> conflicts = new ArrayList<>();
                held.forEach((row, holder) -> conflicts.add(new RowClaim(row, holder)));
                return ClaimOutcome.refused(conflicts);
            }
            if (attempt == Transactions.ATTEMPTS) {
                throw new StoreException("Database store (" + description + "): claim of " + spec.rows().size()
                        + " row(s) for operation '" + spec.operationId() + "' kept meeting concurrent claims; nothing"
                        + " was claimed, retry later", ((ClaimAttempt.RaceLost) result).cause());
            }
            Transactions.backOff(attempt);
        }
    }

    @Override
    public Optional<Instant> renew(String operationId, long token, Duration lease) {
        return transactions.read("renew", em -> {
            long now = table.now(em);
            long leaseUntil = now + lease.toMillis();
            int renewed = table.query(em, "UPDATE cg_object_lock SET lease_until = ? WHERE namespace = ?"
                    + " AND operation_id = ? AND token = ? AND lease_until > ?", leaseUntil, table.namespace(),
                    operationId, token, now).executeUpdate();
            return renewed > 0 ? Optional.of(Instant.ofEpochMilli(leaseUntil)) : Optional.empty();
        });
    }

    @Override
    public boolean holds(String operationId, long token) {
        return transactions.read("holds", em -> !table.query(em, "SELECT token FROM cg_object_lock WHERE namespace = ?"
                + " AND operation_id = ? AND token = ? AND lease_until > " + dialect.now(), table.namespace(),
                operationId, token).setMaxResults(1).getResultList().isEmpty());
    }

    @Override
    public int release(String operationId, long token) {
        return transactions.read("release", em -> table.query(em, "DELETE FROM cg_object_lock WHERE namespace = ?"
                + " AND operation_id = ? AND token = ?", table.namespace(), operationId, token).executeUpdate());
    }

    @Override
    public Map<Row, Holder> inspect(Collection<Row> rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        List<Row> sorted = new ArrayList<>(new TreeSet<>(rows));
        return LockTable.toMap(transactions.read("inspect", em -> table.select(em, sorted, true)));
    }

    @Override
    public Optional<Set<String>> claimedIds(String entity, int limit) {
        List<?> ids = transactions.read("claimedIds", em -> table.query(em, "SELECT object_id FROM cg_object_lock"
                + " WHERE namespace = ? AND model_name = ? AND lease_until > " + dialect.now(), table.namespace(),
                entity).setMaxResults(limit + 1).getResultList());
        if (ids.size() > limit) {
            return Optional.empty();
        }
        Set<String> found = new HashSet<>(ids.size() * 2);
        ids.forEach(id -> found.add(String.valueOf(id)));
        return Optional.of(found);
    }

    @Override
    public List<RowClaim> claimsOf(String operationId) {
        List<Object[]> found = transactions.read("claimsOf", em -> LockTable.list(table.query(em, "SELECT "
                + LockTable.COLUMNS + " FROM cg_object_lock WHERE namespace = ? AND operation_id = ? AND lease_until > "
                + dialect.now(), table.namespace(), operationId)));
        List<RowClaim> claims = new ArrayList<>();
        LockTable.toMap(found).forEach((row, holder) -> claims.add(new RowClaim(row, holder)));
        return claims;
    }

    @Override
    public int forceRelease(String operationId) {
        return transactions.read("forceRelease", em -> table.query(em,
                "DELETE FROM cg_object_lock WHERE namespace = ? AND operation_id = ?", table.namespace(), operationId)
                .executeUpdate());
    }

    @Override
    public SweepSummary sweep() {
        return transactions.read("sweep", em -> {
            long now = table.now(em);
            long claims = LockTable.number(table.query(em, "SELECT COUNT(DISTINCT token) FROM cg_object_lock"
                    + " WHERE namespace = ? AND lease_until <= ?", table.namespace(), now).getSingleResult());
            int rows = table.query(em, "DELETE FROM cg_object_lock WHERE namespace = ? AND lease_until <= ?",
                    table.namespace(), now).executeUpdate();
            return new SweepSummary(rows == 0 ? 0 : (int) claims, rows);
        });
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return "JpaClaimStore[" + description + "]";
    }

    private void checkSchema() {
        try {
            transactions.read("check", em -> table.head(em, ""));
        } catch (StoreException e) {
            throw new ConfigurationException(ConfigKeys.DATABASE_DIALECT, "The database store cannot use table"
                    + " cg_object_lock and sequence cg_fence_seq (" + rootMessage(e) + "); apply"
                    + " META-INF-templates/ddl/" + dialect.dialect().settingValue() + ".sql to the database, or check "
                    + ConfigKeys.DATABASE_DIALECT + " (now " + dialect.dialect().settingValue() + ")", e);
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

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
