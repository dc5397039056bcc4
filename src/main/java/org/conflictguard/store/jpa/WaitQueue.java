package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.conflictguard.Holder;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
import org.conflictguard.spi.ClaimSpec;

/**
 * The queue of waiting claims of one namespace, in {@code cg_wait}: a place per claim that waits,
 * with a row per row its claim would mark (kind {@code 'R'} alone, {@code 'S'} with its subtree)
 * or put an intention on ({@code 'I'}), all under the place's ticket (a fencing token: tickets
 * order the queue) and its end ({@code place_until}, by the database clock). A place conflicts
 * with a claim where the claim's marks would: on a row both mark, on a subtree root of one where
 * the other puts an intention; never between two shared claims. Every method runs in the
 * transaction of the {@link EntityManager} it is given. Immutable and thread-safe.
 */
final class WaitQueue {

    private static final String COLUMNS =
            "model_name, object_id, kind, ticket, operation_id, label, user_name, created_at, place_until, claim_mode";
    private static final int INSERT_CHUNK = 100;

    private final LockTable table;
    private final DialectSql dialect;

    WaitQueue(LockTable table, DialectSql dialect) {
        this.table = table;
        this.dialect = dialect;
    }

    /**
     * The live places ahead of a claim (tickets below {@code ticket}, or any when it is 0) on rows
     * it conflicts with, as conflicts naming a waiting holder.
     */
    List<RowClaim> ahead(EntityManager em, ClaimSpec spec, long ticket, long now) {
        TreeSet<Row> rows = new TreeSet<>(spec.rows());
        rows.addAll(spec.ancestors());
        Set<Row> marked = new HashSet<>(spec.rows());
        Set<Row> subtreeRoots = new HashSet<>();
        for (Mark mark : spec.marks()) {
            if (mark.scope() == Scope.SUBTREE) {
                subtreeRoots.add(mark.row());
            }
        }
        Set<Row> ancestors = new HashSet<>(spec.ancestors());
        List<RowClaim> found = new ArrayList<>();
        for (Object[] place : table.selectRows(em, "SELECT " + COLUMNS + " FROM cg_wait", new ArrayList<>(rows),
                " AND place_until > " + now)) {
            long placeTicket = LockTable.number(place[3]);
            if (ticket != 0 && placeTicket >= ticket) {
                continue;
            }
            if (spec.isShared() && LockTable.isShared(place, 9)) {
                continue;
            }
            Row row = new Row((String) place[0], (String) place[1]);
            char kind = String.valueOf(place[2]).charAt(0);
            boolean inTheWay = (kind != 'I' && marked.contains(row)) || (kind == 'I' && subtreeRoots.contains(row))
                    || (kind == 'S' && ancestors.contains(row));
            if (inTheWay) {
                found.add(new RowClaim(row, new Holder((String) place[4], LockTable.emptyToNull(place[5]),
                        LockTable.emptyToNull(place[6]), Instant.ofEpochMilli(LockTable.number(place[7])),
                        Instant.ofEpochMilli(LockTable.number(place[8])), LockTable.mode(place[9]), true),
                        kind == 'R' ? Scope.ROW : Scope.SUBTREE, null));
            }
        }
        found.sort((a, b) -> a.row().compareTo(b.row()));
        return found;
    }

    /**
     * Keeps a refused claim's place until {@code now + keepMillis}, or takes one (a new ticket
     * when {@code ticket} is 0; the same ticket when its place was swept). Returns the ticket.
     */
    long keep(EntityManager em, ClaimSpec spec, long ticket, long now, long keepMillis) {
        long until = now + keepMillis;
        if (ticket != 0 && table.query(em, "UPDATE cg_wait SET place_until = ? WHERE namespace = ? AND ticket = ?",
                until, table.namespace(), ticket).executeUpdate() > 0) {
            return ticket;
        }
        long placed = ticket != 0 ? ticket
                : LockTable.number(table.query(em, "SELECT " + dialect.nextToken()).getSingleResult());
        List<Object[]> rows = new ArrayList<>(spec.marks().size() + spec.ancestors().size());
        for (Mark mark : spec.marks()) {
            rows.add(new Object[] {mark.row(), mark.scope() == Scope.SUBTREE ? "S" : "R"});
        }
        for (Row ancestor : spec.ancestors()) {
            rows.add(new Object[] {ancestor, "I"});
        }
        for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
            List<Object[]> chunk = rows.subList(from, Math.min(from + INSERT_CHUNK, rows.size()));
            StringBuilder sql = new StringBuilder("INSERT INTO cg_wait (namespace, ").append(COLUMNS).append(") VALUES ");
            List<Object> params = new ArrayList<>(chunk.size() * 11);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                Row row = (Row) chunk.get(i)[0];
                params.add(table.namespace());
                params.add(row.entity());
                params.add(row.id());
                params.add(chunk.get(i)[1]);
                params.add(placed);
                params.add(spec.operationId());
                params.add(LockTable.nullToEmpty(spec.label()));
                params.add(LockTable.nullToEmpty(spec.user()));
                params.add(now);
                params.add(until);
                params.add(LockTable.mode(spec));
            }
            table.query(em, sql.toString(), params.toArray()).executeUpdate();
        }
        return placed;
    }

    /** Removes a place; returns whether it was there. */
    boolean leave(EntityManager em, long ticket) {
        return table.query(em, "DELETE FROM cg_wait WHERE namespace = ? AND ticket = ?", table.namespace(), ticket)
                .executeUpdate() > 0;
    }

    /** Removes the places that lapsed by {@code now}. */
    void sweep(EntityManager em, long now) {
        table.query(em, "DELETE FROM cg_wait WHERE namespace = ? AND place_until <= ?", table.namespace(), now)
                .executeUpdate();
    }

}
