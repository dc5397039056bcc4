package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import java.util.List;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimSpec;

/**
 * PostgreSQL 10+: a claim of rows that are not in the table is one statement (a token, the
 * database's now, the operation's busy check, the check of every row and the insert of them
 * all); rows already in the table (held, or lapsed and not swept yet) take the general claim.
 * The insert has no {@code ON CONFLICT}: its speculative insertion costs a fifth more, and a
 * claim that commits the same rows between the check and the insert makes it fail with a
 * unique-key violation, which is a lost race.
 */
final class PostgresSql extends DialectSql {

    private static final String COLUMNS = LockTable.COLUMNS;

    private static final String ONE_STATEMENT = "WITH head AS (SELECT nextval('cg_fence_seq') AS token, "
            + "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) AS now),"
            + " wanted AS (SELECT w.e AS model_name, w.i AS object_id"
            + " FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS w(e, i)),"
            + " taken AS (SELECT 1 FROM cg_object_lock l JOIN wanted w"
            + " ON l.model_name = w.model_name AND l.object_id = w.object_id WHERE l.namespace = ?),"
            + " busy AS (SELECT COUNT(*) AS n FROM cg_object_lock l, head h"
            + " WHERE l.namespace = ? AND l.operation_id = ? AND l.lease_until > h.now),"
            + " ins AS (INSERT INTO cg_object_lock (namespace, " + COLUMNS + ")"
            + " SELECT ?, w.model_name, w.object_id, ?, ?, ?, h.token, h.now, h.now + ? FROM wanted w, head h"
            + " WHERE NOT EXISTS (SELECT 1 FROM taken) AND (SELECT n FROM busy) = 0"
            + " ORDER BY w.model_name, w.object_id RETURNING 1)"
            + " SELECT h.token, h.now, (SELECT n FROM busy), (SELECT COUNT(*) FROM taken),"
            + " (SELECT COUNT(*) FROM ins) FROM head h";

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    String nextToken() {
        return "nextval('cg_fence_seq')";
    }

    @Override
    String now() {
        return "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    }

    @Override
    String insertSuffix() {
        return " ON CONFLICT DO NOTHING";
    }

    @Override
    ClaimAttempt claim(EntityManager em, LockTable table, ClaimSpec spec) {
        List<Row> rows = spec.rows();
        String[] entities = new String[rows.size()];
        String[] ids = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            entities[i] = rows.get(i).entity();
            ids[i] = rows.get(i).id();
        }
        Object[] result;
        try {
            result = (Object[]) table.query(em, ONE_STATEMENT, entities, ids, table.namespace(), table.namespace(),
                    spec.operationId(), table.namespace(), spec.operationId(), LockTable.nullToEmpty(spec.label()),
                    LockTable.nullToEmpty(spec.user()), spec.lease().toMillis()).getSingleResult();
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                return new ClaimAttempt.RaceLost(e);
            }
            throw e;
        }
        long token = LockTable.number(result[0]);
        long now = LockTable.number(result[1]);
        if (LockTable.number(result[2]) > 0) {
            return new ClaimAttempt.Busy();
        }
        if (LockTable.number(result[3]) > 0) {
            // Some rows are in the table (held, or lapsed and not swept yet): the general claim decides.
            return claimChecked(em, table, spec, token, now);
        }
        if (LockTable.number(result[4]) < rows.size()) {
            return new ClaimAttempt.RaceLost(null);
        }
        return new ClaimAttempt.Decided(table.granted(em, spec, token, now));
    }
}
