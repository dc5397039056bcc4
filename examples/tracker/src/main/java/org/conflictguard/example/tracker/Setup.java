package org.conflictguard.example.tracker;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.conflictguard.ConflictGuard;

/**
 * Defines the application's data sources, creates the claim table from the library's DDL
 * template, seeds three projects and starts the guard, once, at deployment.
 *
 * <p>Both data sources point at the same in-memory H2 database: the application's unit uses the
 * transactional one, the library's RESOURCE_LOCAL unit (META-INF-templates/persistence-unit.xml,
 * packaged unchanged) the non-transactional {@code java:app/jdbc/conflictguard}, so every claim
 * commits on its own, never in the caller's transaction.
 */
@DataSourceDefinition(name = "java:app/jdbc/tracker",
        className = "org.conflictguard.example.tracker.TrackerDatabase", databaseName = "tracker")
@DataSourceDefinition(name = "java:app/jdbc/conflictguard",
        className = "org.conflictguard.example.tracker.TrackerDatabase", databaseName = "tracker",
        transactional = false)
@Singleton
@Startup
public class Setup {

    private static final Logger LOG = Logger.getLogger(Setup.class.getName());

    /** Projects seeded at start: each has this many milestones of this many tasks. */
    static final int PROJECTS = 3;
    static final int MILESTONES = 3;
    static final int TASKS = 4;

    @Resource(lookup = "java:app/jdbc/conflictguard")
    DataSource claims;

    @PersistenceContext(unitName = "tracker")
    EntityManager em;

    @Inject
    Instance<ConflictGuard> guard;

    @PostConstruct
    void start() {
        createClaimTable();
        seed();
        LOG.info("ConflictGuard: " + guard.get().description());
    }

    /** Runs META-INF/conflictguard/ddl/h2.sql (the template, copied at build) unless the table exists. */
    private void createClaimTable() {
        try (Connection c = claims.getConnection(); Statement s = c.createStatement()) {
            if (c.getMetaData().getTables(null, null, "CG_OBJECT_LOCK", null).next()) {
                return;
            }
            for (String statement : script("META-INF/conflictguard/ddl/h2.sql").split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the claim table from META-INF/conflictguard/ddl/h2.sql", e);
        }
    }

    private static String script(String resource) {
        try (InputStream in = Setup.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the WAR");
            }
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int comment = line.indexOf("--");
                sql.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
            }
            return sql.toString();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + resource, e);
        }
    }

    private void seed() {
        if (em.find(Project.class, 1L) != null) {
            return;
        }
        String[] names = {"Bridge", "Harbour", "Lighthouse"};
        LocalDate start = LocalDate.of(2027, 1, 4);
        for (int p = 1; p <= PROJECTS; p++) {
            Project project = new Project(p, names[(p - 1) % names.length]);
            em.persist(project);
            for (int m = 1; m <= MILESTONES; m++) {
                long milestoneId = p * 100L + m;
                Milestone milestone = new Milestone(milestoneId, "Phase " + m, start.plusWeeks(4L * m), project);
                em.persist(milestone);
                for (int t = 1; t <= TASKS; t++) {
                    em.persist(new Task(milestoneId * 100 + t, project.getName() + " task " + m + "." + t,
                            start.plusWeeks(4L * m - 1).plusDays(t), milestone));
                }
            }
        }
    }
}
