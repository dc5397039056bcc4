package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;

/**
 * MariaDB 10.3+: the general claim; inserts skip taken rows, and a short count shows the race. A
 * claim runs at READ COMMITTED: its reads see what is committed when they run, and its locking
 * reads take no gap locks (at MariaDB's default, REPEATABLE READ, the read of joined marks after an
 * insert, locked, deadlocked with concurrent inserts under eight threads).
 */
final class MariaDbSql extends DialectSql {

    @Override
    void beginClaim(EntityManager em, LockTable table) {
        table.query(em, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED").executeUpdate();
    }

    @Override
    boolean locksJoinersRead() {
        return false;
    }

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
