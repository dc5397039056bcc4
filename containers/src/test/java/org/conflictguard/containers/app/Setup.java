package org.conflictguard.containers.app;

import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.conflictguard.ConflictGuard;

/**
 * The deployment's two data sources over one in-memory H2 database (a transactional one for the
 * application's unit, a non-transactional one for the library's RESOURCE_LOCAL unit, as the
 * template asks), the claim table from the library's DDL template, and the seed: projects 1 to
 * {@value #PROJECTS}, each with tasks {@code 100 p + 1} to {@code 100 p + }{@value #TASKS}, created
 * when the application starts.
 */
@DataSourceDefinition(name = "java:app/jdbc/containers", className = "org.conflictguard.containers.app.ContainersDatabase",
        databaseName = "containers")
@DataSourceDefinition(name = "java:app/jdbc/conflictguard",
        className = "org.conflictguard.containers.app.ContainersDatabase", databaseName = "containers",
        transactional = false)
@ApplicationScoped
public class Setup {

    public static final int PROJECTS = 6;
    public static final int TASKS = 3;

    @Resource(lookup = "java:app/jdbc/conflictguard")
    DataSource claims;

    @PersistenceContext(unitName = "containers")
    EntityManager em;

    @Inject
    ConflictGuard guard;

    /** Runs once, when the application starts (CDI only: no EJB container needed). */
    @Transactional
    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        createClaimTables();
        for (int p = 1; p <= PROJECTS; p++) {
            Project project = new Project(p, "project " + p);
            em.persist(project);
            for (int t = 1; t <= TASKS; t++) {
                em.persist(new Task(p * 100L + t, "task " + t, project));
            }
        }
        System.getLogger("org.conflictguard.containers").log(System.Logger.Level.INFO, guard.description());
    }

    public static long task(long project, int n) {
        return project * 100 + n;
    }

    /** Runs META-INF/conflictguard/ddl/h2.sql, the library's template, as deployed. */
    private void createClaimTables() {
        try (Connection c = claims.getConnection(); Statement s = c.createStatement()) {
            for (String statement : script("META-INF/conflictguard/ddl/h2.sql").split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the claim tables from META-INF/conflictguard/ddl/h2.sql", e);
        }
    }

    private static String script(String resource) {
        try (InputStream in = Setup.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the deployment");
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
}
