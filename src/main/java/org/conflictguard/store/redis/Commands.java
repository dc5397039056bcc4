package org.conflictguard.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.Comparator;
import org.conflictguard.ClaimMode;
import org.conflictguard.Holder;
import org.conflictguard.Mark;
import org.conflictguard.OperationInUseException;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
import org.conflictguard.StoreException;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;

/**
 * The script's command table on the Java side: for each command of {@code conflictguard.lua},
 * its arguments and its reply, in the order the script's header states them. A test asks the
 * script for its own table and compares it with {@link #ALL}.
 */
final class Commands {

    /** A claim of one operation: its id and token. */
    record ClaimId(String operationId, long token) {
    }

    /** A renewal: the claim and the new lease length. */
    record Renewal(String operationId, long token, Duration lease) {
    }

    /** What one sweep call removed, and whether lapsed claims remain. */
    record SweepBatch(int claims, int rows, boolean more) {
    }

    /**
     * A claim as asked: the spec, and its place in the queue (ticket 0 for none; keep 0 not to
     * queue, else how long a refused claim keeps its place, in ms).
     */
    record Asked(ClaimSpec spec, long ticket, long keepMillis) {
        Asked(ClaimSpec spec) {
            this(spec, 0, 0);
        }
    }

    /** Marks as the script reads them (entity, nRow, ids, nSubtree, ids per entity), then the intentions. */
    static final Command<Asked, ClaimOutcome> CLAIM = new Command<>("claim", asked -> {
        ClaimSpec spec = asked.spec();
        List<Object> args = new ArrayList<>(spec.marks().size() + spec.ancestors().size() + 16);
        args.add(spec.operationId());
        args.add(Long.toString(spec.lease().toMillis()));
        args.add(nullToEmpty(spec.label()));
        args.add(nullToEmpty(spec.user()));
        args.add(spec.isShared() ? "S" : "X");
        args.add(Long.toString(asked.ticket()));
        args.add(Long.toString(asked.keepMillis()));
        int groupsAt = args.size();
        args.add(null);
        int groups = 0;
        List<Mark> marks = spec.marks();
        for (int from = 0; from < marks.size(); groups++) {
            String entity = marks.get(from).row().entity();
            int to = from;
            while (to < marks.size() && marks.get(to).row().entity().equals(entity)) {
                to++;
            }
            args.add(entity);
            for (Scope scope : List.of(Scope.ROW, Scope.SUBTREE)) {
                int countAt = args.size();
                args.add(null);
                int count = 0;
                for (Mark mark : marks.subList(from, to)) {
                    if (mark.scope() == scope) {
                        args.add(mark.row().id());
                        count++;
                    }
                }
                args.set(countAt, Integer.toString(count));
            }
            from = to;
        }
        args.set(groupsAt, Integer.toString(groups));
        addGroups(args, spec.ancestors());
        return args;
    }, (asked, reply) -> {
        String status = reply.text();
        return switch (status) {
            case "CLAIMED" -> ClaimOutcome.granted(reply.integer(), reply.instant(), reply.instant());
            case "CONFLICT" -> ClaimOutcome.refused(heldRows(reply));
            case "QUEUED" -> {
                long ticket = reply.integer();
                yield ClaimOutcome.queued(heldRows(reply), ticket);
            }
            case "BUSY" -> throw new OperationInUseException(asked.spec().operationId());
            default -> throw new StoreException("ConflictGuard script answered '" + status + "' to a claim", null);
        };
    });

    static final Command<Renewal, Optional<Instant>> RENEW = new Command<>("renew",
            r -> List.of(r.operationId(), Long.toString(r.token()), Long.toString(r.lease().toMillis())),
            (r, reply) -> "RENEWED".equals(reply.text()) ? Optional.of(reply.instant()) : Optional.empty());

    static final Command<ClaimId, Boolean> HOLDS = new Command<>("holds",
            id -> List.of(id.operationId(), Long.toString(id.token())), (id, reply) -> reply.integer() == 1);

    static final Command<ClaimId, Integer> RELEASE = new Command<>("release",
            id -> List.of(id.operationId(), Long.toString(id.token())), (id, reply) -> (int) reply.integer());

    static final Command<String, Integer> FORCE = new Command<>("force", List::of,
            (op, reply) -> (int) reply.integer());

    /** Rows in the order the script wants them: sorted, grouped by entity. */
    static final Command<Collection<Row>, List<RowClaim>> MARKS = new Command<>("marks", rows -> {
        List<Object> args = new ArrayList<>(rows.size() + 8);
        addGroups(args, rows);
        return args;
    }, (rows, reply) -> heldRows(reply));

    /** Rows sorted, grouped by entity; the reply names, per row, the live claims holding something below it. */
    static final Command<Collection<Row>, List<RowClaim>> BELOW = new Command<>("below", rows -> {
        List<Object> args = new ArrayList<>(rows.size() + 8);
        addGroups(args, rows);
        return args;
    }, (rows, reply) -> heldRows(reply));

    static final Command<String, List<RowClaim>> CLAIMS_OF = new Command<>("claims_of", List::of,
            (op, reply) -> heldRows(reply));

    static final Command<Integer, SweepBatch> SWEEP = new Command<>("sweep", limit -> List.of(limit.toString()),
            (limit, reply) -> new SweepBatch((int) reply.integer(), (int) reply.integer(), reply.integer() == 1));

    /** Every claim kept, live or lapsed and not swept. */
    static final Command<Void, Set<Long>> TOKENS = new Command<>("tokens", none -> List.of(), (none, reply) -> {
        Set<Long> tokens = new HashSet<>();
        while (reply.hasMore()) {
            tokens.add(reply.integer());
        }
        return tokens;
    });

    /**
     * The marks of claims, as stored: read with a codec that keeps every byte (the script returns
     * the claims' msgpack lists untouched, so that a large claim costs Redis no work to read).
     */
    static final Command<Collection<Long>, Map<Long, List<Object>>> RECORDS = new Command<>("records", tokens -> {
        List<Object> args = new ArrayList<>(tokens.size());
        tokens.forEach(t -> args.add(Long.toString(t)));
        return args;
    }, (tokens, reply) -> {
        Map<Long, List<Object>> found = new java.util.LinkedHashMap<>();
        while (reply.hasMore()) {
            long token = reply.integer();
            byte[] packed = reply.text().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            found.put(token, MessagePack.readList(packed));
        }
        return found;
    }, true);

    /** Every live claim with its holder and number of marks, in the order the claims were made. */
    static final Command<Void, List<org.conflictguard.LiveOperation>> OPERATIONS = new Command<>("operations",
            none -> List.of(), (none, reply) -> {
                List<org.conflictguard.LiveOperation> live = new ArrayList<>();
                while (reply.hasMore()) {
                    reply.integer();
                    String op = reply.text();
                    String label = emptyToNull(reply.text());
                    String user = emptyToNull(reply.text());
                    Instant since = reply.instant();
                    Instant lease = reply.instant();
                    ClaimMode mode = "S".equals(reply.text()) ? ClaimMode.SHARED : ClaimMode.EXCLUSIVE;
                    live.add(new org.conflictguard.LiveOperation(new Holder(op, label, user, since, lease, mode),
                            (int) reply.integer()));
                }
                return live;
            });

    /** Gives up a place in the queue: true if it was there. */
    static final Command<Long, Boolean> LEAVE = new Command<>("leave", ticket -> List.of(Long.toString(ticket)),
            (ticket, reply) -> reply.integer() == 1);

    static final Command<Void, List<String>> COMMANDS = new Command<>("commands", none -> List.of(), (none, reply) -> {
        List<String> names = new ArrayList<>();
        while (reply.hasMore()) {
            names.add(reply.text());
        }
        return names;
    });

    /** Every command, as the script's table should list them. */
    static final List<Command<?, ?>> ALL = List.of(CLAIM, RENEW, HOLDS, RELEASE, FORCE, MARKS, BELOW,
            CLAIMS_OF, SWEEP, TOKENS, RECORDS, LEAVE, OPERATIONS, COMMANDS);

    private Commands() {
    }

    /** Entity groups as the script reads them: entity, count, ids... (rows arrive sorted). */
    private static void addGroups(List<Object> args, Collection<Row> sortedRows) {
        String entity = null;
        int countAt = -1;
        int count = 0;
        for (Row row : sortedRows) {
            if (!row.entity().equals(entity)) {
                if (countAt >= 0) {
                    args.set(countAt, Integer.toString(count));
                }
                entity = row.entity();
                args.add(entity);
                countAt = args.size();
                args.add(null);
                count = 0;
            }
            args.add(row.id());
            count++;
        }
        if (countAt >= 0) {
            args.set(countAt, Integer.toString(count));
        }
    }

    /**
     * Held rows: n, (entity, id, token, scope) * n, then (token, op, label, user, since, lease, mode)
     * per holder (mode 'S', 'X', or 'QS', 'QX' for a place in the queue); sorted by row, then by holder, one entry per row and holder.
     */
    private static List<RowClaim> heldRows(Reply reply) {
        long n = reply.integer();
        List<Object[]> rows = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            rows.add(new Object[] {new Row(reply.text(), reply.text()), reply.integer(), Scope.valueOf(reply.text())});
        }
        Map<Long, Holder> holders = new HashMap<>();
        while (reply.hasMore()) {
            long token = reply.integer();
            String op = reply.text();
            String label = emptyToNull(reply.text());
            String user = emptyToNull(reply.text());
            java.time.Instant since = reply.instant();
            java.time.Instant until = reply.instant();
            String mode = reply.text();
            // A place in the queue answers 'QS' or 'QX'.
            holders.put(token, new Holder(op, label, user, since, until,
                    mode.endsWith("S") ? ClaimMode.SHARED : ClaimMode.EXCLUSIVE, mode.startsWith("Q")));
        }
        TreeSet<RowClaim> sorted = new TreeSet<>(Comparator.comparing(RowClaim::row)
                .thenComparing(c -> c.holder().operationId()));
        for (Object[] row : rows) {
            sorted.add(new RowClaim((Row) row[0], holders.get((Long) row[1]), (Scope) row[2], null));
        }
        return new ArrayList<>(sorted);
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
