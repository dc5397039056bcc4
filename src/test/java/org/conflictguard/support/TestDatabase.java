package org.conflictguard.support;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A database for one test class, with the ConflictGuard DDL from {@code META-INF-templates}
 * applied: an in-memory H2 database, or a fresh schema (PostgreSQL) or database (MariaDB) that
 * {@link #close()} drops. PostgreSQL and MariaDB come from the local defaults or
 * {@code CONFLICTGUARD_TEST_<KIND>_URL/_USER/_PASSWORD}; with {@code CI=true} they must be
 * reachable, elsewhere an unreachable one skips its suite and says so.
 */
public final class TestDatabase implements AutoCloseable {

    /** The supported databases. */
    public enum Kind {
        H2("jdbc:h2:mem:", "sa", ""),
        POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres", ""),
        MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root", "");

        final String defaultUrl;
        final String defaultUser;
        final String defaultPassword;

        Kind(String defaultUrl, String defaultUser, String defaultPassword) {
            this.defaultUrl = defaultUrl;
            this.defaultUser = defaultUser;
            this.defaultPassword = defaultPassword;
        }

        String env(String suffix, String fallback) {
            String value = System.getenv("CONFLICTGUARD_TEST_" + name() + "_" + suffix);
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    private final Kind kind;
    private final String schema;
    private final String adminUrl;
    private final String url;
    private final String user;
    private final String password;
    private final Map<String, EntityManagerFactory> units = new HashMap<>();

    private TestDatabase(Kind kind, String schema, String adminUrl, String url, String user, String password) {
        this.kind = kind;
        this.schema = schema;
        this.adminUrl = adminUrl;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Creates the database or schema and applies the DDL; skips or fails when unreachable. */
    public static TestDatabase create(Kind kind) {
        return create(kind, Path.of("META-INF-templates", "ddl", kind.name().toLowerCase(Locale.ROOT) + ".sql"));
    }

    /** Creates the database or schema and applies these DDL files, in order; skips or fails when unreachable. */
    public static TestDatabase create(Kind kind, Path... ddl) {
        String schema = "cg_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String base = kind.env("URL", kind.defaultUrl);
        String user = kind.env("USER", kind.defaultUser);
        String password = kind.env("PASSWORD", kind.defaultPassword);
        TestDatabase db = switch (kind) {
            case H2 -> new TestDatabase(kind, schema, null, "jdbc:h2:mem:" + schema + ";DB_CLOSE_DELAY=-1", user, password);
            case POSTGRESQL -> new TestDatabase(kind, schema, base, base + (base.contains("?") ? "&" : "?")
                    + "currentSchema=" + schema, user, password);
            case MARIADB -> new TestDatabase(kind, schema, base, base.replaceFirst("/[^/?]*(\\?|$)", "/" + schema + "$1"),
                    user, password);
        };
        if (kind != Kind.H2) {
            db.requireReachable();
        }
        db.createSchema(ddl);
        return db;
    }

    /** The JDBC URL, user and password of this database, for another process. */
    public List<String> connection() {
        return List.of(url, user, password);
    }

    /** The JDBC URL of this database (or schema). */
    public String url() {
        return url;
    }

    /** The user the tests connect as. */
    public String user() {
        return user;
    }

    /** The user's password. */
    public String password() {
        return password;
    }

    /** Which database this is. */
    public Kind kind() {
        return kind;
    }

    /** The persistence unit {@code conflictguard-test} on this database; closed by {@link #close()}. */
    public EntityManagerFactory emf() {
        return unit("conflictguard-test");
    }

    /** A persistence unit of the test persistence.xml on this database; closed by {@link #close()}. */
    public synchronized EntityManagerFactory unit(String name) {
        return units.computeIfAbsent(name, n -> {
            Map<String, Object> props = new HashMap<>();
            props.put("jakarta.persistence.jdbc.url", url);
            props.put("jakarta.persistence.jdbc.user", user);
            props.put("jakarta.persistence.jdbc.password", password);
            props.put("hibernate.connection.pool_size", "40");
            return Persistence.createEntityManagerFactory(n, props);
        });
    }

    /**
     * A new unit (the caller closes it) on this database with {@code properties} beside the JDBC
     * settings, e.g. a provider's connection settings.
     */
    public EntityManagerFactory newUnit(String name, Map<String, ?> properties) {
        return newUnit(name, url, properties);
    }

    /** A new persistence unit of the test persistence.xml on this database, with JDBC URL parameters added; the caller closes it. */
    public EntityManagerFactory newUnit(String name, String urlParameters) {
        return newUnit(name, url + (url.contains("?") ? "&" : "?") + urlParameters, Map.of());
    }

    private EntityManagerFactory newUnit(String name, String jdbcUrl, Map<String, ?> properties) {
        Map<String, Object> props = new HashMap<>(properties);
        props.put("jakarta.persistence.jdbc.url", jdbcUrl);
        props.put("jakarta.persistence.jdbc.user", user);
        props.put("jakarta.persistence.jdbc.password", password);
        return Persistence.createEntityManagerFactory(name, props);
    }

    /** Runs a {@code SELECT COUNT(*) ...} with one string parameter. */
    public long count(String sql, String parameter) {
        try (Connection c = connect(url); var statement = c.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every column of every row a query with one string parameter returns, as text. */
    public String dump(String sql, String parameter) {
        try (Connection c = connect(url); var statement = c.prepareStatement(sql)) {
            statement.setString(1, parameter);
            StringBuilder out = new StringBuilder();
            try (ResultSet rs = statement.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        out.append(rs.getString(i)).append('|');
                    }
                    out.append('\n');
                }
            }
            return out.toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row a query returns, as longs. */
    public List<Long> longs(String sql) {
        try (Connection c = connect(url); Statement statement = c.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<Long> values = new java.util.ArrayList<>();
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Deletes every claim, intention, place in the queue and namespace row the store kept for this namespace. */
    public void dropClaims(String namespace) {
        for (String table : List.of("cg_object_lock", "cg_intent", "cg_wait", "cg_namespace")) {
            execute("DELETE FROM " + table + " WHERE namespace = '" + namespace + "'");
        }
    }

    /** Runs a statement on this database. */
    public void execute(String sql) {
        try (Connection c = connect(url); Statement statement = c.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        units.values().forEach(EntityManagerFactory::close);
        try {
            switch (kind) {
                case H2 -> execute("SHUTDOWN");
                case POSTGRESQL -> admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                case MARIADB -> admin("DROP DATABASE IF EXISTS " + schema);
            }
        } catch (RuntimeException e) {
            System.err.println("[conflictguard-tests] could not drop " + schema + ": " + e);
        }
    }

    private void requireReachable() {
        try (Connection ignored = connect(adminUrl)) {
            // reachable
        } catch (SQLException e) {
            String what = kind + " at " + adminUrl + " as " + user + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true but " + what + " is not reachable; CI must run every store suite", e);
            }
            String message = "SKIPPED: the " + kind + " suite, no server: " + what + ". Set CONFLICTGUARD_TEST_"
                    + kind + "_URL/_USER/_PASSWORD to run it";
            System.err.println("[conflictguard-tests] " + message);
            // Outside CI a missing database server skips its suite, loudly; CI=true fails above instead.
            Assumptions.abort(message);
        }
    }

    private void createSchema(Path... ddl) {
        switch (kind) {
            case POSTGRESQL -> admin("CREATE SCHEMA " + schema);
            case MARIADB -> admin("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
            default -> { }
        }
        for (Path file : ddl) {
            apply(file);
        }
    }

    /** Runs the statements of a DDL file on this database. */
    public void apply(Path file) {
        String ddl;
        try {
            ddl = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("DDL file missing: " + file.toAbsolutePath(), e);
        }
        for (String statement : ddl.split(";\\s*(\\n|$)")) {
            String sql = statement.lines().filter(line -> !line.trim().startsWith("--"))
                    .reduce("", (a, b) -> a + "\n" + b).trim();
            if (!sql.isEmpty()) {
                execute(sql);
            }
        }
    }

    private void admin(String sql) {
        try (Connection c = connect(adminUrl); Statement statement = c.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Connects through the driver this class loader sees (DriverManager hides drivers of other loaders). */
    private Connection connect(String jdbcUrl) throws SQLException {
        DriverManager.setLoginTimeout(5);
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        for (Driver driver : ServiceLoader.load(Driver.class, TestDatabase.class.getClassLoader())) {
            if (driver.acceptsURL(jdbcUrl)) {
                return driver.connect(jdbcUrl, props);
            }
        }
        throw new SQLException("No JDBC driver on the test class path accepts " + jdbcUrl);
    }
}
