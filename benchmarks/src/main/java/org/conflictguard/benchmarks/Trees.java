package org.conflictguard.benchmarks;

import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.conflictguard.ConflictGuard;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The trees the subtree benchmarks claim, in an in-memory H2 application database: Project 1
 * with 100 milestones sharing {@code tasks} tasks, and Project 2 with one milestone (2001) of 100
 * tasks. Seeded with plain SQL (a million entities through JPA would take minutes). And the claim
 * stores they run on.
 */
final class Trees implements AutoCloseable {

    static final long BIG_PROJECT = 1;
    static final long SMALL_PROJECT = 2;
    static final long SMALL_MILESTONE = 2_001;
    /** A task of the big tree: a leaf under milestone 1 and project 1. */
    static final long ONE_TASK = 1;

    final Databases app;
    final EntityManagerFactory unit;
    private Databases storeDatabase;
    private EntityManagerFactory storeUnit;
    private RedissonClient client;

    Trees(int tasks) {
        app = Databases.fresh("h2");
        unit = app.unit("bench-plain", Map.of("jakarta.persistence.schema-generation.database.action", "create",
                "hibernate.generate_statistics", "true"));
        try (Connection c = app.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO Project (id, name) VALUES (1, 'big'), (2, 'small')");
            s.execute("INSERT INTO Milestone (id, name, project_id) SELECT X, 'm', 1 FROM SYSTEM_RANGE(1, 100)");
            s.execute("INSERT INTO Milestone (id, name, project_id) VALUES (2001, 'small', 2)");
            s.execute("INSERT INTO Task (id, title, priority, milestone_id) SELECT X, 't', 0, MOD(X - 1, 100) + 1"
                    + " FROM SYSTEM_RANGE(1, " + tasks + ")");
            s.execute("INSERT INTO Task (id, title, priority, milestone_id) SELECT X, 't', 0, 2001"
                    + " FROM SYSTEM_RANGE(" + (tasks + 1) + ", " + (tasks + 100) + ")");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot seed the tree: " + e.getMessage(), e);
        }
    }

    /** A claim store of this kind (redis, postgresql) in this namespace; closed with the trees. */
    ClaimStore store(String kind, String namespace) {
        if (kind.equals("redis")) {
            if (client == null) {
                Config config = new Config();
                config.useSingleServer().setAddress(System.getProperty("redis", "redis://127.0.0.1:6379"));
                client = Redisson.create(config);
            }
            return RedisClaimStore.create(client, namespace);
        }
        if (storeDatabase == null) {
            storeDatabase = Databases.fresh(kind).withStoreTables();
            storeUnit = storeDatabase.unit("bench-store", Map.of());
        }
        return JpaClaimStore.create(storeUnit, namespace);
    }

    /** A guard over the store that follows the tree's {@code @DependsOn}. */
    ConflictGuard guardWithGraph(ClaimStore store) {
        return ConflictGuard.builder().store(store).dependencies(unit).setting("conflictguard.lease", "10m").build();
    }

    /** A guard over the store that knows no tree: claims rows as given, each alone. */
    static ConflictGuard flatGuard(ClaimStore store) {
        return ConflictGuard.builder().store(store).setting("conflictguard.lease", "10m").build();
    }

    /** Statements the application's unit prepared so far. */
    long statements() {
        return unit.unwrap(org.hibernate.SessionFactory.class).getStatistics().getPrepareStatementCount();
    }

    @Override
    public void close() {
        if (client != null) {
            client.getKeys().deleteByPattern("{bench-tree*}*");
            client.shutdown();
        }
        if (storeUnit != null) {
            storeUnit.close();
            storeDatabase.drop();
        }
        unit.close();
        app.drop();
    }
}
