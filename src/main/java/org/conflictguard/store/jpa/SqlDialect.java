package org.conflictguard.store.jpa;

import java.util.Locale;

/** The few statements that differ between the supported databases. */
enum SqlDialect {
    H2("NEXT VALUE FOR cg_fence_seq",
            "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)",
            "INSERT INTO", ""),
    POSTGRESQL("nextval('cg_fence_seq')",
            "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
            "INSERT INTO", " ON CONFLICT DO NOTHING"),
    MARIADB("NEXTVAL(cg_fence_seq)",
            "CAST(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000 AS SIGNED)",
            "INSERT IGNORE INTO", "");

    /** Expression for the next fencing token. */
    final String nextToken;
    /** Expression for the database's now, in epoch milliseconds. */
    final String now;
    /**
     * How an insert starts and ends. Where the database can skip a duplicate key without an
     * error, it does, and a short insert count tells the claim it lost a race; elsewhere the
     * unique violation does.
     */
    final String insertInto;
    final String insertSuffix;

    SqlDialect(String nextToken, String now, String insertInto, String insertSuffix) {
        this.nextToken = nextToken;
        this.now = now;
        this.insertInto = insertInto;
        this.insertSuffix = insertSuffix;
    }

    /** The setting value naming this dialect. */
    String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The dialect a provider's dialect class or a {@code VERSION()} answer names, or null. */
    static SqlDialect fromName(String name) {
        if (name == null) {
            return null;
        }
        String v = name.toLowerCase(Locale.ROOT);
        if (v.contains(".h2") || v.startsWith("h2")) {
            return H2;
        }
        if (v.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (v.contains("mariadb")) {
            return MARIADB;
        }
        return null;
    }
}
