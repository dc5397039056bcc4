package org.conflictguard.store.jpa;

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

    @Override
    String lockNamespace() {
        return "MERGE INTO cg_namespace KEY (namespace) VALUES (?)";
    }
}
