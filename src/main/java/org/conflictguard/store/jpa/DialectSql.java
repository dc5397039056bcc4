package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
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

    /**
     * A statement that creates this namespace's row of {@code cg_namespace} if needed and locks it
     * until the transaction ends; one parameter, the namespace.
     */
    abstract String lockNamespace();

    /** A query for the distinct tokens of {@code cg_object_lock} in a namespace, its one parameter. */
    String claimTokens() {
        return "SELECT DISTINCT token FROM cg_object_lock WHERE namespace = ?";
    }

    /**
     * The statement that makes a transaction of the store run at READ COMMITTED, which its claims
     * of several statements rely on (each statement sees what is committed when it starts), if the
     * unit's transactions, like the one {@code em} is in, run at another level; null if they need
     * none. By default none: the dialect sees to it in {@link #beginClaim}, or the database has no
     * other level the store meets.
     */
    String readCommitted(EntityManager em, LockTable table) {
        return null;
    }

    /**
     * Whether a transaction of the unit, like the one {@code em} is in, commits each statement by
     * itself: the connection's autocommit left on, as when Hibernate is told that its pool hands
     * out connections with autocommit off ({@code hibernate.connection.provider_disables_autocommit})
     * and the pool does not. A claim of several statements would then not be all or nothing.
     */
    boolean commitsEachStatement(EntityManager em, LockTable table) {
        return Boolean.TRUE.equals(table.query(em, "SELECT AUTOCOMMIT()").getSingleResult());
    }

    /**
     * Secondary indexes of {@code cg_object_lock} and {@code cg_intent} that this dialect's claims
     * are better off without (named for a warning at startup): none by default.
     */
    List<String> indexesOfAnEarlierLayout(EntityManager em, LockTable table) {
        return List.of();
    }

    /** Runs first in a claim's transaction (on MariaDB, a release's too), before anything else: nothing by default. */
    void beginClaim(EntityManager em, LockTable table) {
    }

    /**
     * The time a claim finished writing its marks, in epoch milliseconds, read in its transaction
     * after the writes: the database's clock by default.
     */
    long writtenAt(EntityManager em, LockTable table) {
        return table.now(em);
    }

    /**
     * Whether the read of joined marks after an exclusive claim's insert must lock them to see what
     * is committed now (true), or a plain read does, the claim running at READ COMMITTED.
     */
    boolean locksJoinersRead() {
        return true;
    }

    /** Tells watching nodes, when the transaction commits, that the claim with this token was granted. */
    void announceGranted(EntityManager em, LockTable table, long token) {
    }

    /**
     * Removes a place from the queue and tells waiting claims, when the transaction commits, where
     * the database can push; returns whether the place was there.
     */
    boolean leave(EntityManager em, LockTable table, long ticket) {
        return table.queue().leave(em, ticket);
    }

    /** Deletes a claim's marks and intentions; returns marks deleted. */
    int deleteClaim(EntityManager em, LockTable table, String operationId, long token) {
        table.query(em, "DELETE FROM cg_intent WHERE namespace = ? AND operation_id = ? AND token = ?",
                table.namespace(), operationId, token).executeUpdate();
        return table.query(em, "DELETE FROM cg_object_lock WHERE namespace = ? AND operation_id = ? AND token = ?",
                table.namespace(), operationId, token).executeUpdate();
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

    /**
     * Claims the rows of {@code spec} in {@code em}'s transaction, or decides why not. A claim
     * that takes part in a hierarchy first locks the namespace's row, so that it and any other
     * such claim check and write one after the other; it does so before reading anything, so
     * that a database that reads from a snapshot taken at the first read (MariaDB's repeatable
     * read) reads what the claim before it committed.
     *
     * @param ticket the claim's place in the queue, or 0 (behind every place)
     */
    ClaimAttempt claim(EntityManager em, LockTable table, ClaimSpec spec, long ticket) {
        beginClaim(em, table);
        if (spec.isHierarchical()) {
            table.lockNamespace(em);
        }
        LockTable.Head head = table.head(em, spec.operationId());
        if (head.busy()) {
            return new ClaimAttempt.Busy();
        }
        if (!spec.isHierarchical() && !head.waiting()) {
            int inserted;
            try {
                inserted = insertFreeRows(em, table, spec, head.token(), head.now());
            } catch (RuntimeException e) {
                if (SqlErrors.isUniqueViolation(e)) {
                    return new ClaimAttempt.RaceLost(e);
                }
                throw e;
            }
            if (inserted == spec.rows().size()) {
                return confirmed(em, table, spec, head.token(), head.now());
            }
            if (inserted > 0) {
                return new ClaimAttempt.RaceLost(null);
            }
            // A row is in the table (held, or lapsed and not swept yet), or no such statement: the
            // general claim decides, in the same transaction.
        }
        return claimChecked(em, table, spec, head.token(), head.now(), ticket, head.waiting());
    }

    /**
     * Inserts the marks of a claim of rows each alone (outside any hierarchy, no place of the
     * namespace in the queue), sorted, in one statement that first checks that none of its rows is
     * in the table. Returns the marks inserted: all of them; 0 when a row is in the table; fewer
     * when a concurrent claim took some after the check (a lost race, as is a unique-key
     * violation). Returns -1 where this dialect has no such statement for this claim, which then
     * takes the general claim. None by default.
     */
    int insertFreeRows(EntityManager em, LockTable table, ClaimSpec spec, long token, long now) {
        return -1;
    }

    /**
     * The general claim after the busy check, with a token and the database's now. A shared claim
     * joins the live shared marks it finds (read again locked, so they are not released before it
     * commits) and puts its own beside them; anything else live in its way refuses it, and so does
     * a live place ahead of it in the queue on rows it conflicts with (read when {@code waiting}:
     * some claim of the namespace has a place).
     */
    final ClaimAttempt claimChecked(EntityManager em, LockTable table, ClaimSpec spec, long token, long now,
            long ticket, boolean waiting) {
        boolean shared = spec.isShared();
        List<RowClaim> conflicts = new ArrayList<>();
        List<Object[]> lapsed = new ArrayList<>();
        Set<Row> joined = new HashSet<>();
        List<Object[]> found = table.select(em, spec.rows(), false);
        if (shared && found.stream().anyMatch(row -> LockTable.number(row[7]) > now && LockTable.isShared(row, 9))) {
            // Marks to join: read them again, locked, as committed now.
            found = table.selectForUpdate(em, spec.rows());
        }
        for (Object[] row : found) {
            if (LockTable.number(row[7]) <= now) {
                lapsed.add(row);
            } else if (shared && LockTable.isShared(row, 9)) {
                joined.add(new Row((String) row[0], (String) row[1]));
            } else {
                conflicts.add(LockTable.rowClaim(row));
            }
        }
        List<Row> subtreeRoots = spec.marks().stream().filter(m -> m.scope() == Scope.SUBTREE).map(Mark::row).toList();
        for (Object[] intent : table.selectIntents(em, subtreeRoots, Long.toString(now))) {
            if (!(shared && LockTable.isShared(intent, 8))) {
                conflicts.add(LockTable.intentClaim(intent));
            }
        }
        for (Object[] above : table.selectSubtreeMarks(em, spec.ancestors(), now)) {
            if (!(shared && LockTable.isShared(above, 9))) {
                conflicts.add(LockTable.rowClaim(above));
            }
        }
        if (waiting) {
            conflicts.addAll(table.queue().ahead(em, spec, ticket, now));
        }
        if (!conflicts.isEmpty()) {
            conflicts.sort((a, b) -> a.row().compareTo(b.row()));
            return new ClaimAttempt.Decided(ClaimOutcome.refused(conflicts));
        }
        table.deleteLapsed(em, lapsed);
        try {
            if (!table.insert(em, spec, token, now, joined)) {
                return new ClaimAttempt.RaceLost(null);
            }
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                return new ClaimAttempt.RaceLost(e);
            }
            throw e;
        }
        ClaimAttempt written = confirmed(em, table, spec, token, now);
        if (written.commits()) {
            announceGranted(em, table, token);
        }
        return written;
    }

    /**
     * A claim just written: granted, unless it is exclusive and another claim's live mark is on
     * one of its rows ({@link #othersOn}), which refuses it (its transaction rolls back).
     */
    final ClaimAttempt confirmed(EntityManager em, LockTable table, ClaimSpec spec, long token, long now) {
        if (!spec.isShared()) {
            List<RowClaim> others = othersOn(em, table, spec, token, now);
            if (!others.isEmpty()) {
                return new ClaimAttempt.Decided(ClaimOutcome.refused(others));
            }
        }
        return new ClaimAttempt.Decided(table.granted(em, spec, token, now));
    }

    /**
     * Live marks of other claims on the rows an exclusive claim has just written. The primary key
     * keeps a second mark off a row's first slot, where this claim's marks are; but a shared claim
     * that joins a shared mark takes a slot of its own, and one that joined, after this claim's
     * check, a shared mark released before this claim's insert is on a row this claim took. Only
     * such joined marks are read, as committed now (locked, or by a plain read at READ COMMITTED:
     * a joiner commits before the mark it joined, which it holds locked, can be deleted, so a claim
     * that finds no live mark of another claim on its rows after its insert can meet none later);
     * a claim that finds one is refused and its transaction rolls back.
     */
    private List<RowClaim> othersOn(EntityManager em, LockTable table, ClaimSpec spec, long token, long now) {
        List<RowClaim> others = new ArrayList<>();
        for (Object[] row : table.selectJoiners(em, spec.rows(), locksJoinersRead())) {
            if (LockTable.number(row[5]) != token && LockTable.number(row[7]) > now) {
                others.add(LockTable.rowClaim(row));
            }
        }
        others.sort((a, b) -> a.row().compareTo(b.row()));
        return others;
    }
}
