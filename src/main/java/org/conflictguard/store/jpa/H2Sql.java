package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;

/** H2 2.x: the general claim; a race shows as a unique-key violation. */
final class H2Sql extends DialectSql {

    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    @Override
    String nextToken() {
        return "NEXT VALUE FOR cg_fence_seq";
    }

    @Override
    String now() {
        return "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
    }

    /**
     * H2's clock stands still within a transaction ({@code CURRENT_TIMESTAMP} is the transaction's
     * start), so the end of a long write is read from this JVM's clock, never before the start.
     */
    @Override
    long writtenAt(EntityManager em, LockTable table) {
        return System.currentTimeMillis();
    }

    @Override
    String lockNamespace() {
        return "MERGE INTO cg_namespace KEY (namespace) VALUES (?)";
    }
}
