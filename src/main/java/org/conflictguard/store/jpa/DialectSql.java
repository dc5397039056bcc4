package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import org.conflictguard.RowClaim;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;

/**
 * What differs between the databases: a few expressions, how a duplicate key ends an insert, and
 * how a claim is made. The general claim, which every dialect can run: one head query (a token,
 * the database's now, the operation's busy check), a select of the rows, refusal if any is held
 * under a live lease, deletion of lapsed ones, and inserts of the rest in sorted order (so
 * overlapping claims cannot deadlock each other). Immutable and thread-safe.
 */
abstract class DialectSql {

    /** The dialect these statements speak. */
    abstract Dialect dialect();

    /** Expression for the next fencing token. */
    abstract String nextToken();

    /** Expression for the database's now, in epoch milliseconds. */
    abstract String now();

    /** How an insert starts: {@code INSERT INTO}, or a form that skips duplicate keys. */
    String insertInto() {
        return "INSERT INTO";
    }

    /** What ends an insert: empty, or a clause that skips duplicate keys. */
    String insertSuffix() {
        return "";
    }

    /** The statements of one dialect. */
    static DialectSql of(Dialect dialect) {
        return switch (dialect) {
            case H2 -> new H2Sql();
            case POSTGRESQL -> new PostgresSql();
            case MARIADB -> new MariaDbSql();
            case AUTO -> throw new IllegalArgumentException("detect the dialect first");
        };
    }

    /** Claims the rows of {@code spec} in {@code em}'s transaction, or decides why not. */
    ClaimAttempt claim(EntityManager em, LockTable table, ClaimSpec spec) {
        LockTable.Head head = table.head(em, spec.operationId());
        if (head.busy()) {
            return new ClaimAttempt.Busy();
        }
        return claimChecked(em, table, spec, head.token(), head.now());
    }

    /** The general claim after the busy check, with a token and the database's now. */
    final ClaimAttempt claimChecked(EntityManager em, LockTable table, ClaimSpec spec, long token, long now) {
        List<RowClaim> conflicts = new ArrayList<>();
        List<Object[]> lapsed = new ArrayList<>();
        for (Object[] row : table.select(em, spec.rows(), false)) {
            if (LockTable.number(row[7]) > now) {
                conflicts.add(LockTable.rowClaim(row));
            } else {
                lapsed.add(row);
            }
        }
        if (!conflicts.isEmpty()) {
            conflicts.sort((a, b) -> a.row().compareTo(b.row()));
            return new ClaimAttempt.Decided(ClaimOutcome.refused(conflicts));
        }
        table.deleteLapsed(em, lapsed);
        try {
            if (!table.insert(em, spec, token, now)) {
                return new ClaimAttempt.RaceLost(null);
            }
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                return new ClaimAttempt.RaceLost(e);
            }
            throw e;
        }
        return new ClaimAttempt.Decided(table.granted(em, spec, token, now));
    }
}
