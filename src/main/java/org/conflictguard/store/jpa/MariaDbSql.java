package org.conflictguard.store.jpa;

/** MariaDB 10.3+: the general claim; inserts skip taken rows, and a short count shows the race. */
final class MariaDbSql extends DialectSql {

    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }

    @Override
    String nextToken() {
        return "NEXTVAL(cg_fence_seq)";
    }

    @Override
    String now() {
        return "CAST(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000 AS SIGNED)";
    }

    @Override
    String insertInto() {
        return "INSERT IGNORE INTO";
    }

    @Override
    String lockNamespace() {
        return "INSERT INTO cg_namespace (namespace) VALUES (?) ON DUPLICATE KEY UPDATE namespace = namespace";
    }
}
