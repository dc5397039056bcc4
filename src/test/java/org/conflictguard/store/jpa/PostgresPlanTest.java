package org.conflictguard.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.Scope;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL a claim checks each of its rows by a probe of the primary key, whatever the
 * table's statistics say: a fresh table never analyzed, a large claim not analyzed yet, a table
 * analyzed empty and full of dead entries since (churn between vacuums), and a table analyzed
 * with many marks. In each, the claim statements' plans (custom, for 10 and 1,000 rows, and the
 * plan of the sixth run, the first that may be generic, as the driver's prepared statements get)
 * read {@code cg_object_lock} and {@code cg_intent} only through their primary keys by row and,
 * for the operation's busy check and the release, the operation or token index: never a scan of
 * the namespace, which would read its every entry, live or dead, for each claim (or each row).
 */
class PostgresPlanTest {

    private static final int MANY = 30_000;

    /** A read by an index of the store's tables in a plan's line; group 1 the index. */
    private static final Pattern INDEX_READ = Pattern.compile(
            "(?:Index (?:Only )?Scan using|Bitmap Index Scan on) (cg_(?:object_lock|intent)_\\w+)");

    private TestDatabase db;
    private Connection connection;
    private final String namespace = "plan" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void start() throws SQLException {
        db = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        db.execute("ALTER TABLE cg_object_lock SET (autovacuum_enabled = false)");
        db.execute("ALTER TABLE cg_intent SET (autovacuum_enabled = false)");
        List<String> c = db.connection();
        connection = DriverManager.getConnection(c.get(0), c.get(1), c.get(2));
    }

    @AfterEach
    void stop() throws SQLException {
        connection.close();
        db.close();
    }

    @Test
    void claimsProbeTheirRowsByThePrimaryKeyWhateverTheStatisticsSay() throws SQLException {
        assertProbes("a fresh table, never analyzed");
        fill(namespace, MANY);
        assertProbes("a table never analyzed, with " + MANY + " marks");
        execute("DELETE FROM cg_object_lock; DELETE FROM cg_intent; ANALYZE cg_object_lock; ANALYZE cg_intent");
        fill(namespace, MANY);
        assertProbes("a table analyzed empty, with " + MANY + " marks since");
        execute("DELETE FROM cg_object_lock; DELETE FROM cg_intent");
        assertProbes("a table analyzed empty, with " + MANY + " dead entries");
        fill(namespace, MANY);
        execute("ANALYZE cg_object_lock; ANALYZE cg_intent");
        assertProbes("a table analyzed with " + MANY + " marks");
    }

    @Test
    void anIndexThatHoldsTheNamespaceIsNamedAtStartup() throws SQLException {
        JpaClaimStore store = JpaClaimStore.create(db.emf(), namespace);
        assertThat(store.indexesOfAnEarlierLayout()).as("indexes of the DDL template").isEmpty();
        store.close();
        execute("CREATE INDEX cg_intent_operation ON cg_intent (namespace, operation_id, token)");
        store = JpaClaimStore.create(db.emf(), namespace);
        assertThat(store.indexesOfAnEarlierLayout()).containsExactly("cg_intent_operation");
        store.close();
    }

    private void assertProbes(String regime) throws SQLException {
        for (int n : new int[] {10, 1_000}) {
            List<Row> rows = IntStream.range(0, n).mapToObj(i -> Row.of("Task", "claimed-" + i)).sorted().toList();
            List<Mark> marks = new ArrayList<>(rows.stream().map(r -> new Mark(r, Scope.ROW)).toList());
            marks.set(0, new Mark(rows.get(0), Scope.SUBTREE));
            long now = System.currentTimeMillis();
            for (String mode : new String[] {"force_custom_plan", "auto"}) {
                String what = regime + ", " + n + " rows, " + mode;
                // Each run a claim of an operation of its own, as a benchmark's or a batch's claims.
                assertReadsByKey(what + ", rows each alone", PostgresSql.ONE_STATEMENT, run -> PostgresSql
                        .oneStatementParameters(namespace, new ClaimSpec("op-" + run, "label", "user", rows,
                                Duration.ofSeconds(30)), 0), mode);
                assertReadsByKey(what + ", in a hierarchy", PostgresSql.HIERARCHICAL, run -> PostgresSql
                        .hierarchicalParameters(namespace, new ClaimSpec("op-" + run, "label", "user", marks,
                                List.of(Row.of("Project", "p-1"), Row.of("Project", "p-2")), Duration.ofSeconds(30)),
                                run, now), mode);
                assertReadsByKey(what + ", release", PostgresSql.DELETE_CLAIM,
                        run -> new Object[] {namespace, "op-" + run, (long) run, namespace, "op-" + run, (long) run}, mode);
            }
        }
    }

    /**
     * Every read of the store's tables in the plan of the statement's sixth run (each run with the
     * parameters of its number) goes through a primary key by row, the operation index by
     * operation or the token index by token.
     */
    private void assertReadsByKey(String what, String sql, IntFunction<Object[]> parametersOfRun,
            String planCacheMode) throws SQLException {
        Object[] parameters = parametersOfRun.apply(0); // for the count and the types
        StringBuilder prepared = new StringBuilder();
        int next = 0;
        for (char ch : sql.toCharArray()) {
            prepared.append(ch == '?' ? "$" + (++next) : String.valueOf(ch));
        }
        assertThat(next).as("parameters of the statement").isEqualTo(parameters.length);
        String types = Arrays.stream(parameters)
                .map(p -> p instanceof String[] ? "text[]" : p instanceof String ? "varchar" : "bigint")
                .collect(Collectors.joining(", "));
        List<String> plan = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            s.execute("SET plan_cache_mode = " + planCacheMode);
            s.execute("PREPARE claim(" + types + ") AS " + prepared);
            try {
                // The sixth run of a prepared statement is the first that may take a generic plan.
                for (int run = 0; run < 6; run++) {
                    plan.clear();
                    String values = Arrays.stream(parametersOfRun.apply(run)).map(PostgresPlanTest::literal)
                            .collect(Collectors.joining(", "));
                    try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE claim(" + values + ")")) {
                        while (rs.next()) {
                            plan.add(rs.getString(1));
                        }
                    }
                }
            } finally {
                s.execute("DEALLOCATE claim");
            }
        }
        String shown = String.join("\n", plan);
        assertThat(shown).as("plan of a claim (%s)", what).doesNotContainPattern("Seq Scan on cg_(object_lock|intent)\\b");
        int reads = 0;
        for (int i = 0; i < plan.size(); i++) {
            Matcher read = INDEX_READ.matcher(plan.get(i));
            if (!read.find()) {
                continue;
            }
            reads++;
            String condition = plan.subList(i + 1, Math.min(i + 4, plan.size())).stream()
                    .filter(line -> line.contains("Index Cond:")).findFirst().orElse("");
            String index = read.group(1);
            assertThat(index + " " + condition).as("a read of the store's tables in the plan of a claim (%s):%n%s",
                    what, shown).matches("cg_(object_lock|intent)_pk .*Index Cond: .*model_name.*object_id.*"
                            + "|cg_(object_lock|intent)_by_operation .*Index Cond: .*operation_id.*"
                            + "|cg_object_lock_by_token .*Index Cond: .*token.*");
        }
        assertThat(reads).as("reads of the store's tables by an index (%s):%n%s", what, shown).isPositive();
    }

    private static String literal(Object value) {
        if (value instanceof String[] array) {
            return "ARRAY[" + Arrays.stream(array).map(PostgresPlanTest::literal)
                    .collect(Collectors.joining(", ")) + "]::text[]";
        }
        if (value instanceof String text) {
            return "'" + text.replace("'", "''") + "'";
        }
        return String.valueOf(value);
    }

    /**
     * Marks of one large claim of another operation and of many small ones, and intentions of other
     * claims, in the namespace (ids apart from the claimed ones).
     */
    private void fill(String ns, int marks) throws SQLException {
        execute("INSERT INTO cg_object_lock (namespace, model_name, object_id, operation_id, label, user_name, token,"
                + " created_at, lease_until, scope, claim_mode) SELECT '" + ns + "', 'Task', 'held-' || i, 'held',"
                + " '', '', 1, 0, 9000000000000, 'R', 'X' FROM generate_series(1, " + marks + ") i;"
                + " INSERT INTO cg_object_lock (namespace, model_name, object_id, operation_id, label, user_name, token,"
                + " created_at, lease_until, scope, claim_mode) SELECT '" + ns + "', 'Task', 'small-' || i,"
                + " 'small-' || (i / 10), '', '', 2 + i / 10, 0, 9100000000000 + i, 'R', 'X'"
                + " FROM generate_series(1, " + marks / 20 + ") i;"
                + " INSERT INTO cg_intent (namespace, model_name, object_id, token, operation_id, label, user_name,"
                + " created_at, lease_until, claim_mode) SELECT '" + ns + "', 'Project', 'held-' || i, i, 'held-' || i,"
                + " '', '', 0, 9000000000000, 'X' FROM generate_series(1, " + marks + ") i");
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}
