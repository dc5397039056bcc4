package org.conflictguard.benchmarks;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh schema (database on MariaDB, in-memory database on H2) per benchmark trial, on the
 * same servers the tests use: {@code -Dpostgresql=jdbc:postgresql://127.0.0.1:5432/test} (user
 * postgres) and {@code -Dmariadb=jdbc:mariadb://127.0.0.1:3306/test} (user root).
 */
final class Databases {

    final String kind;
    final String url;
    final String user;
    final String password;
    private final String schema;

    private Databases(String kind, String url, String user, String password, String schema) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    /** A new empty schema on {@code kind} (h2, postgresql, mariadb). */
    static Databases fresh(String kind) {
        String schema = "cg_bench_" + UUID.randomUUID().toString().substring(0, 8);
        try {
            return switch (kind) {
                case "h2" -> new Databases(kind, "jdbc:h2:mem:" + schema + ";DB_CLOSE_DELAY=-1", "sa", "", schema);
                case "postgresql" -> {
                    String base = System.getProperty("postgresql", "jdbc:postgresql://127.0.0.1:5432/test");
                    run(base, "postgres", "", "CREATE SCHEMA " + schema);
                    yield new Databases(kind, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                            "postgres", "", schema);
                }
                case "mariadb" -> {
                    String base = System.getProperty("mariadb", "jdbc:mariadb://127.0.0.1:3306/test");
                    run(base, "root", "", "CREATE DATABASE " + schema);
                    yield new Databases(kind, base.substring(0, base.lastIndexOf('/') + 1) + schema, "root", "",
                            schema);
                }
                default -> throw new IllegalArgumentException("db must be h2, postgresql or mariadb, not " + kind);
            };
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a schema on " + kind + ": " + e.getMessage(), e);
        }
    }

    /** Applies the store's DDL template for this database. */
    Databases withStoreTables() {
        String resource = "ddl/" + kind + ".sql";
        try (InputStream in = Databases.class.getClassLoader().getResourceAsStream(resource);
                Connection c = connect(); Statement s = c.createStatement()) {
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int comment = line.indexOf("--");
                sql.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
            }
            for (String statement : sql.toString().split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Cannot apply " + resource + ": " + e.getMessage(), e);
        }
        return this;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /**
     * The unit properties for an isolation level of its connections: {@code default} (none) or
     * {@code read-committed}.
     */
    static Map<String, String> isolation(String level) {
        return switch (level) {
            case "default" -> Map.of();
            case "read-committed" -> Map.of("hibernate.connection.isolation", "2");
            default -> throw new IllegalArgumentException("isolation is default or read-committed, not " + level);
        };
    }

    /**
     * The unit properties for its connection pool: {@code builtin} (Hibernate's own, which sets
     * autocommit on every connection it hands out and takes back), {@code hikari} (HikariCP, which
     * leaves a connection's autocommit as it was) or {@code hikari-manual} (HikariCP handing out
     * connections with autocommit off, and Hibernate told so: it then sets autocommit neither
     * when a transaction begins nor when it ends).
     */
    static Map<String, String> pool(String pool) {
        return switch (pool) {
            case "builtin" -> Map.of("hibernate.connection.provider_class", BUILTIN_POOL);
            case "hikari" -> Map.of("hibernate.connection.provider_class", "hikaricp",
                    "hibernate.hikari.maximumPoolSize", "20");
            case "hikari-manual" -> Map.of("hibernate.connection.provider_class", "hikaricp",
                    "hibernate.hikari.maximumPoolSize", "20", "hibernate.connection.autocommit", "false",
                    "hibernate.connection.provider_disables_autocommit", "true");
            default -> throw new IllegalArgumentException("pool is builtin, hikari or hikari-manual, not " + pool);
        };
    }

    /**
     * Hibernate's own pool, named: with HikariCP's module on the class path Hibernate would take
     * that one unless told otherwise.
     */
    static final String BUILTIN_POOL = "org.hibernate.engine.jdbc.connections.internal.DriverManagerConnectionProvider";

    /** A unit on this database; Hibernate's own pool unless {@code extra} names another ({@link #pool}). */
    EntityManagerFactory unit(String name, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("hibernate.connection.provider_class", BUILTIN_POOL);
        props.put("jakarta.persistence.jdbc.url", url);
        props.put("jakarta.persistence.jdbc.user", user);
        props.put("jakarta.persistence.jdbc.password", password);
        props.put("hibernate.connection.pool_size", "20");
        props.putAll(extra);
        return Persistence.createEntityManagerFactory(name, props);
    }

    /** Drops the schema. */
    void drop() {
        try {
            switch (kind) {
                case "h2" -> run(url, user, password, "DROP ALL OBJECTS");
                case "postgresql" -> run(url, user, password, "DROP SCHEMA " + schema + " CASCADE");
                case "mariadb" -> run(url, user, password, "DROP DATABASE " + schema);
                default -> throw new IllegalStateException(kind);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop " + schema + ": " + e.getMessage(), e);
        }
    }

    /** Project 1 with {@code milestones} milestones of {@code tasksPerMilestone} tasks each. */
    static void seedTree(EntityManagerFactory emf, int milestones, int tasksPerMilestone) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            Project project = new Project(1, "p");
            em.persist(project);
            for (int m = 0; m < milestones; m++) {
                Milestone milestone = new Milestone(m + 1, "m" + m, project);
                em.persist(milestone);
                for (int t = 0; t < tasksPerMilestone; t++) {
                    em.persist(new Task((long) m * tasksPerMilestone + t + 1, "t", milestone));
                }
                if (m % 10 == 9) {
                    em.flush();
                    em.clear();
                    project = em.find(Project.class, 1L);
                }
            }
            em.getTransaction().commit();
        } finally {
            em.close();
        }
    }

    private static void run(String url, String user, String password, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
