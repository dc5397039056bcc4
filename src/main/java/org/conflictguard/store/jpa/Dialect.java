package org.conflictguard.store.jpa;

import java.util.Locale;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;

/**
 * The SQL dialects the database store speaks, as named by {@link ConfigKeys#DATABASE_DIALECT}.
 * Immutable and thread-safe.
 */
public enum Dialect {
    /** Ask the JPA provider (Hibernate's Dialect, EclipseLink's platform), else the database. */
    AUTO,
    /** H2 2.x. */
    H2,
    /** PostgreSQL 10 or later. */
    POSTGRESQL,
    /** MariaDB 10.3 or later (sequences). */
    MARIADB;

    /** The setting value naming this dialect, e.g. {@code postgresql}. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The dialect a setting value names, ignoring case and surrounding blanks.
     *
     * @param value the value of {@link ConfigKeys#DATABASE_DIALECT}
     * @return the dialect
     * @throws ConfigurationException naming {@link ConfigKeys#DATABASE_DIALECT} if the value names none
     */
    public static Dialect parse(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (Dialect dialect : values()) {
            if (dialect.name().equals(v)) {
                return dialect;
            }
        }
        throw new ConfigurationException(ConfigKeys.DATABASE_DIALECT, ConfigKeys.DATABASE_DIALECT + "='" + value
                + "' is not accepted; use auto, h2, postgresql or mariadb");
    }
}
