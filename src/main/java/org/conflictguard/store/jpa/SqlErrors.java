package org.conflictguard.store.jpa;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/** Classifies database failures by SQL state and vendor code, wherever the provider wrapped them. */
final class SqlErrors {

    private static final int MARIADB_DUPLICATE_KEY = 1062;
    private static final int MARIADB_DEADLOCK = 1213;
    private static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;
    private static final int H2_LOCK_TIMEOUT = 50200;

    private SqlErrors() {
    }

    /** A unique-key violation: another claim holds one of the rows. */
    static boolean isUniqueViolation(Throwable failure) {
        for (SQLException e : sqlExceptions(failure)) {
            String state = e.getSQLState();
            if ("23505".equals(state) || e.getErrorCode() == MARIADB_DUPLICATE_KEY) {
                return true;
            }
        }
        return false;
    }

    /** A deadlock, serialization failure or lock timeout: the transaction may be retried. */
    static boolean isRetryable(Throwable failure) {
        for (SQLException e : sqlExceptions(failure)) {
            String state = String.valueOf(e.getSQLState());
            if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")
                    || e.getErrorCode() == MARIADB_DEADLOCK || e.getErrorCode() == MARIADB_LOCK_WAIT_TIMEOUT
                    || e.getErrorCode() == H2_LOCK_TIMEOUT) {
                return true;
            }
        }
        return false;
    }

    private static Set<SQLException> sqlExceptions(Throwable failure) {
        Set<SQLException> found = new HashSet<>();
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException next = sql; next != null && found.add(next); next = next.getNextException()) {
                    // collect the chain
                }
            }
        }
        return found;
    }
}
