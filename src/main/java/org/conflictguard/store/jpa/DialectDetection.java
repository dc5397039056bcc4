package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.List;
import java.util.Locale;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;

/**
 * Finds which database a persistence unit reaches: from the JPA provider's own dialect
 * (Hibernate's {@code Dialect}, EclipseLink's platform, read reflectively so that neither
 * provider is needed), else by asking the database for its version.
 */
final class DialectDetection {

    private static final System.Logger LOG = System.getLogger(JpaClaimStore.class.getName());

    private DialectDetection() {
    }

    /**
     * @throws ConfigurationException naming {@link ConfigKeys#DATABASE_DIALECT} if the database is
     *     not one the store supports, or cannot be told
     */
    static Dialect detect(EntityManagerFactory emf) {
        Dialect fromProvider = fromName(providerDialect(emf));
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
                Dialect found = probe.contains("H2") ? Dialect.H2 : fromName(version);
                if (found != null) {
                    return found;
                }
                throw new ConfigurationException(ConfigKeys.DATABASE_DIALECT, "The database store supports H2,"
                        + " PostgreSQL and MariaDB; this database answers version '" + version + "'. Set "
                        + ConfigKeys.DATABASE_DIALECT + " if it speaks one of their dialects, or use Redis");
            } catch (ConfigurationException e) {
                throw e;
            } catch (RuntimeException e) {
                if (tx.isActive()) {
                    tx.rollback();
                }
            } finally {
                em.close();
            }
        }
        throw new ConfigurationException(ConfigKeys.DATABASE_DIALECT, "Could not tell which database the persistence"
                + " unit reaches; set " + ConfigKeys.DATABASE_DIALECT + " to h2, postgresql or mariadb");
    }

    /** The dialect a provider's dialect class or a {@code VERSION()} answer names, or null. */
    static Dialect fromName(String name) {
        if (name == null) {
            return null;
        }
        String v = name.toLowerCase(Locale.ROOT);
        if (v.contains(".h2") || v.startsWith("h2")) {
            return Dialect.H2;
        }
        if (v.contains("postgresql")) {
            return Dialect.POSTGRESQL;
        }
        if (v.contains("mariadb")) {
            return Dialect.MARIADB;
        }
        return null;
    }

    /** The provider's own name for its dialect, or null if neither known provider answers. */
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
}
