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
import org.conflictguard.spi.ClaimRecord;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.QueuePlace;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.ClaimWatcher;
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

    private final EntityManagerFactory emf;
    private final Transactions transactions;
    private final LockTable table;
    private final DialectSql dialect;
    private final String description;
    private final ReleaseWakeups wakeups;
    /** On PostgreSQL, what analyzes the table after large claims; elsewhere null. */
    private final PostgresStatistics statistics;
    /** Secondary indexes of the store's tables that its claims are better off without, read at start. */
    private volatile List<String> indexesOfAnEarlierLayout = List.of();
    /** On PostgreSQL, what sends notifications after commits; started with the first one. */
    private java.util.function.Consumer<List<String>> notifier;
    private boolean closed;

    private JpaClaimStore(EntityManagerFactory emf, String namespace, DialectSql dialect) {
        this.emf = emf;
        this.dialect = dialect;
        CommitNotices notices = dialect.dialect() == Dialect.POSTGRESQL ? new CommitNotices(this::send)
                : CommitNotices.none();
        this.table = new LockTable(namespace, dialect, notices);
        this.description = "database (" + dialect.dialect().settingValue() + "), namespace '" + namespace + "'";
        this.transactions = new Transactions(emf, description, notices);
        this.wakeups = new ReleaseWakeups(emf, namespace, dialect.dialect() == Dialect.POSTGRESQL);
        this.statistics = dialect.dialect() == Dialect.POSTGRESQL ? new PostgresStatistics(() -> transactions.read(
                "analyze", em -> table.query(em, "ANALYZE cg_object_lock").executeUpdate())) : null;
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
     * RESOURCE_LOCAL, that its transactions do not commit each statement by itself, and that the
     * table and sequence exist.
     *
     * @param emf a RESOURCE_LOCAL persistence unit that reaches the {@code cg_object_lock} table
     * @param namespace 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}
     * @param dialect the database's dialect, or {@link Dialect#AUTO} to detect it
     * @return the store
     * @throws ConfigurationException if the namespace is not accepted, the unit is JTA or its
     *     transactions commit each statement by itself (autocommit left on), the dialect cannot be
     *     detected, or the table or sequence is missing (naming the DDL file to apply)
     */
    public static JpaClaimStore create(EntityManagerFactory emf, String namespace, Dialect dialect) {
        Namespaces.check(namespace);
        checkResourceLocal(emf);
        Dialect chosen = dialect == Dialect.AUTO ? DialectDetection.detect(emf) : dialect;
        JpaClaimStore store = new JpaClaimStore(emf, namespace, DialectSql.of(chosen));
        store.checkTransactions();
        store.checkSchema();
        return store;
    }

    /** How long a claim keeps trying while it loses races to claims released before it can name them. */
    private static final long RACES_BUDGET_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    /** @throws OperationInUseException if the operation already holds a live claim */
    @Override
    public ClaimOutcome claim(ClaimSpec spec) {
        return claim(spec, null);
    }

    /**
     * A claim with a place in the queue ({@code cg_wait}): a granted claim leaves the queue in its
     * own transaction; a refused one keeps or takes its place in a transaction of its own.
     *
     * @throws OperationInUseException if the operation already holds a live claim
     */
    @Override
    public ClaimOutcome claim(ClaimSpec spec, QueuePlace place) {
        long ticket = place == null ? 0 : place.ticket();
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            ClaimAttempt result = transactions.run("claim", em -> {
                ClaimAttempt tried = dialect.claim(em, table, spec, ticket);
                if (tried.commits() && ticket != 0) {
                    dialect.leave(em, table, ticket);
                }
                return tried.commits() ? Transactions.Step.commit(tried) : Transactions.Step.rollback(tried);
            });
            if (result instanceof ClaimAttempt.Decided decided) {
                if (statistics != null && decided.outcome().isGranted()) {
                    statistics.granted(spec.marks().size());
                }
                return place == null || decided.outcome().isGranted() ? decided.outcome()
                        : queued(spec, place, decided.outcome().conflicts());
            }
            if (result instanceof ClaimAttempt.Busy) {
                throw new OperationInUseException(spec.operationId());
            }
            // Another claim committed some of these rows first: report it like any conflict (a shared
            // claim met by another shared one tries again, and then joins it).
            List<RowClaim> held = new ArrayList<>(marksOn(spec.rows()).values());
            held.removeIf(c -> spec.mode().compatibleWith(c.holder().mode()));
            if (!held.isEmpty()) {
                return place == null ? ClaimOutcome.refused(held) : queued(spec, place, held);
            }
            // Every lost race is another claim's grant, so trying again makes progress: give up only
            // after the usual attempts and a time budget, when the rows keep changing hands.
            if (attempt >= Transactions.ATTEMPTS && System.nanoTime() - started > RACES_BUDGET_NANOS) {
                throw new StoreException("Database store (" + description + "): claim of " + spec.rows().size()
                        + " row(s) for operation '" + spec.operationId() + "' kept meeting concurrent claims; nothing"
                        + " was claimed, retry later", ((ClaimAttempt.RaceLost) result).cause());
            }
            Transactions.backOff(attempt);
        }
    }

    private ClaimOutcome queued(ClaimSpec spec, QueuePlace place, List<RowClaim> conflicts) {
        long ticket = transactions.read("queue", em -> table.queue().keep(em, spec, place.ticket(), table.now(em),
                Math.max(1, place.keep().toMillis())));
        return ClaimOutcome.queued(conflicts, ticket);
    }

    @Override
    public void leaveQueue(long ticket) {
        transactions.read("leaveQueue", em -> dialect.leave(em, table, ticket));
    }

    /** True: places are rows of {@code cg_wait}. */
    @Override
    public boolean queuesWaiters() {
        return true;
    }

    /** One query: the live marks grouped by claim. */
    @Override
    public Optional<List<org.conflictguard.LiveOperation>> liveOperations() {
        List<Object[]> rows = transactions.read("liveOperations", em -> LockTable.list(table.query(em,
                "SELECT operation_id, label, user_name, claim_mode, token, MIN(created_at), MAX(lease_until), COUNT(*)"
                + " FROM cg_object_lock WHERE namespace = ? AND lease_until > " + dialect.now()
                + " GROUP BY operation_id, label, user_name, claim_mode, token ORDER BY token", table.namespace())));
        List<org.conflictguard.LiveOperation> live = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            live.add(new org.conflictguard.LiveOperation(new Holder((String) row[0], LockTable.emptyToNull(row[1]),
                    LockTable.emptyToNull(row[2]), Instant.ofEpochMilli(LockTable.number(row[5])),
                    Instant.ofEpochMilli(LockTable.number(row[6])), LockTable.mode(row[3])),
                    (int) LockTable.number(row[7])));
        }
        return Optional.of(live);
    }


    /** On PostgreSQL ({@code LISTEN}); elsewhere waiting claims poll. */
    @Override
    public boolean pushesReleases() {
        return wakeups.pushed();
    }

    @Override
    public Optional<Instant> renew(String operationId, long token, Duration lease) {
        return transactions.read("renew", em -> {
            long now = table.now(em);
            long leaseUntil = now + lease.toMillis();
            int renewed = table.setLease(em, operationId, token, leaseUntil, now);
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
        return transactions.read("release", em -> table.delete(em, operationId, token));
    }

    @Override
    public Map<Row, RowClaim> marksOn(Collection<Row> rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        List<Row> sorted = new ArrayList<>(new TreeSet<>(rows));
        return LockTable.toMap(transactions.read("marksOn", em -> table.select(em, sorted, true)));
    }

    @Override
    public Map<Row, List<Holder>> holdersBelow(Collection<Row> rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        List<Row> sorted = new ArrayList<>(new TreeSet<>(rows));
        Map<Row, List<Holder>> found = new java.util.TreeMap<>();
        for (Object[] intent : transactions.read("holdersBelow", em -> table.selectIntents(em, sorted,
                dialect.now()))) {
            RowClaim below = LockTable.intentClaim(intent);
            found.computeIfAbsent(below.row(), r -> new ArrayList<>()).add(below.holder());
        }
        return java.util.Collections.unmodifiableMap(found);
    }

    @Override
    public List<RowClaim> claimsOf(String operationId) {
        List<Object[]> found = transactions.read("claimsOf", em -> LockTable.list(table.query(em, "SELECT "
                + LockTable.COLUMNS + " FROM cg_object_lock WHERE namespace = ? AND operation_id = ? AND lease_until > "
                + dialect.now(), table.namespace(), operationId)));
        return new ArrayList<>(LockTable.toMap(found).values());
    }

    @Override
    public int forceRelease(String operationId) {
        return transactions.read("forceRelease", em -> {
            table.query(em, "DELETE FROM cg_intent WHERE namespace = ? AND operation_id = ?", table.namespace(),
                    operationId).executeUpdate();
            return table.query(em, "DELETE FROM cg_object_lock WHERE namespace = ? AND operation_id = ?",
                    table.namespace(), operationId).executeUpdate();
        });
    }

    @Override
    public SweepSummary sweep() {
        return transactions.read("sweep", em -> {
            long now = table.now(em);
            long claims = LockTable.number(table.query(em, "SELECT COUNT(DISTINCT token) FROM cg_object_lock"
                    + " WHERE namespace = ? AND lease_until <= ?", table.namespace(), now).getSingleResult());
            int rows = table.query(em, "DELETE FROM cg_object_lock WHERE namespace = ? AND lease_until <= ?",
                    table.namespace(), now).executeUpdate();
            table.query(em, "DELETE FROM cg_intent WHERE namespace = ? AND lease_until <= ?", table.namespace(), now)
                    .executeUpdate();
            table.queue().sweep(em, now);
            return new SweepSummary(rows == 0 ? 0 : (int) claims, rows);
        });
    }

    /** One statement: the distinct tokens of {@code cg_object_lock} in this namespace (by its token index). */
    @Override
    public Optional<Set<Long>> claimTokens() {
        List<?> tokens = transactions.read("claimTokens", em -> table.query(em, dialect.claimTokens(), table.namespace())
                .getResultList());
        Set<Long> found = new HashSet<>(tokens.size() * 2);
        tokens.forEach(t -> found.add(LockTable.number(t)));
        return Optional.of(found);
    }

    @Override
    public List<ClaimRecord> claimRecords(Collection<Long> tokens, int maxMarks) {
        if (tokens.isEmpty()) {
            return List.of();
        }
        return transactions.read("claimRecords", em -> table.records(em, new ArrayList<>(tokens), maxMarks));
    }

    /**
     * On PostgreSQL, {@code LISTEN} on a connection of its own, opened from the persistence unit's
     * data source or JDBC properties; elsewhere, or when the unit names neither, empty.
     */
    @Override
    public Optional<AutoCloseable> watch(ClaimWatcher watcher) {
        if (dialect.dialect() != Dialect.POSTGRESQL) {
            return Optional.empty();
        }
        return PostgresFeed.start(emf, table.namespace(), watcher);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String namespace() {
        return table.namespace();
    }

    /** On PostgreSQL, counts the releases the database pushes; elsewhere never moves. */
    @Override
    public long releases() {
        return wakeups.count();
    }

    /**
     * Returns when a release was pushed since {@code seen} (PostgreSQL {@code LISTEN}), or after at
     * most 250 ms (every database: a waiter then tries again).
     */
    @Override
    public void awaitRelease(long seen, Duration timeout) throws InterruptedException {
        wakeups.await(seen, timeout);
    }

    /** Stops listening for releases (PostgreSQL), if a claim waited; the claims stay. Idempotent. */
    @Override
    public void close() {
        wakeups.close();
        if (statistics != null) {
            statistics.close();
        }
        java.util.function.Consumer<List<String>> started;
        synchronized (this) {
            closed = true;
            started = notifier;
        }
        if (started instanceof AutoCloseable sending) {
            try {
                sending.close();
            } catch (Exception e) {
                System.getLogger(JpaClaimStore.class.getName()).log(System.Logger.Level.DEBUG, "closing the notifier", e);
            }
        }
    }

    /** Sends a committed call's notifications (PostgreSQL), through the notifier started on first use. */
    private void send(List<String> payloads) {
        java.util.function.Consumer<List<String>> sending;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (notifier == null) {
                notifier = PostgresNotifier.start(emf, this::sendDirectly);
            }
            sending = notifier;
        }
        sending.accept(payloads);
    }

    /** Sends notifications in a short transaction on the caller's thread (no connection of the notifier's own). */
    private void sendDirectly(List<String> payloads) {
        transactions.read("notify", em -> table.query(em, PostgresNotifier.sendStatement(),
                (Object) payloads.toArray(String[]::new)).getSingleResult());
    }

    @Override
    public String toString() {
        return "JpaClaimStore[" + description + "]";
    }

    /** The dialect's statements this store speaks (for tests of this package). */
    DialectSql dialectSql() {
        return dialect;
    }

    private void checkSchema() {
        List<String> slow;
        try {
            slow = transactions.read("check", em -> {
                table.head(em, "");
                table.query(em, "SELECT scope, claim_mode, holder_slot FROM cg_object_lock WHERE namespace = ?", "")
                        .setMaxResults(1).getResultList();
                table.query(em, "SELECT token, claim_mode FROM cg_intent WHERE namespace = ?", "").setMaxResults(1)
                        .getResultList();
                table.query(em, "SELECT ticket, kind, place_until FROM cg_wait WHERE namespace = ?", "")
                        .setMaxResults(1).getResultList();
                table.query(em, "SELECT namespace FROM cg_namespace WHERE namespace = ?", "").setMaxResults(1)
                        .getResultList();
                return dialect.indexesOfAnEarlierLayout(em, table);
            });
        } catch (StoreException e) {
            String ddl = dialect.dialect().settingValue() + ".sql";
            throw new ConfigurationException(ConfigKeys.DATABASE_DIALECT, "The database store cannot use its tables"
                    + " cg_object_lock (with its scope, claim_mode and holder_slot columns), cg_intent (with claim_mode),"
                    + " cg_namespace, cg_wait and sequence cg_fence_seq ("
                    + rootMessage(e) + "); apply META-INF-templates/ddl/" + ddl + " to the database (a database set"
                    + " up for an earlier version: META-INF-templates/ddl/upgrade/" + ddl + "), or check "
                    + ConfigKeys.DATABASE_DIALECT + " (now " + dialect.dialect().settingValue() + ")", e);
        }
        indexesOfAnEarlierLayout = slow;
        if (!slow.isEmpty()) {
            System.getLogger(JpaClaimStore.class.getName()).log(System.Logger.Level.WARNING, "Indexes " + slow
                    + " of the database store's tables hold the namespace (an earlier DDL, or added by hand):"
                    + " where the table's statistics are stale, claims may read a whole namespace through them to"
                    + " check their rows. Apply META-INF-templates/ddl/upgrade/" + dialect.dialect().settingValue()
                    + ".sql (with no claim live) to replace them");
        }
    }

    /**
     * Secondary indexes of the store's tables the dialect's claims should not have beside the
     * primary key, as found when the store started.
     */
    List<String> indexesOfAnEarlierLayout() {
        return indexesOfAnEarlierLayout;
    }

    /**
     * Checks the unit's transactions, in one transaction. They must be transactions: statements
     * that each commit by themselves would leave a claim of several statements half written when
     * it fails or is refused. And their isolation level is read: on PostgreSQL, where it is not READ
     * COMMITTED, every transaction of the store sets it first (one statement more each); MariaDB's
     * claims and releases set it unless it is READ COMMITTED already ({@link MariaDbSql}).
     */
    private void checkTransactions() {
        // Refused from within the transaction: a driver may fail the commit of one that is none
        // (PostgreSQL's does), which would hide the cause.
        String statement = transactions.read("check transactions", em -> {
            if (dialect.commitsEachStatement(em, table)) {
                throw new ConfigurationException(ConfigKeys.PERSISTENCE_UNIT, "The database store's persistence"
                        + " unit commits each statement by itself inside a transaction (its connections' autocommit"
                        + " stays on), so a claim would not be all or nothing. Where the unit sets"
                        + " hibernate.connection.provider_disables_autocommit to true, its pool must hand out"
                        + " connections with autocommit off (HikariCP: autoCommit false); otherwise remove that"
                        + " setting");
            }
            return dialect.readCommitted(em, table);
        });
        if (statement != null) {
            transactions.runFirst(statement);
            System.getLogger(JpaClaimStore.class.getName()).log(System.Logger.Level.INFO, "The persistence unit's"
                    + " transactions run above READ COMMITTED; the " + description + " sets READ COMMITTED in each of"
                    + " its own, which its claims rely on (one statement more per transaction: a unit of its own at"
                    + " READ COMMITTED saves it)");
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
