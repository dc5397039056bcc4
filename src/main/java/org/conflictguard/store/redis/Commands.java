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
import java.util.TreeMap;
import org.conflictguard.Holder;
import org.conflictguard.OperationInUseException;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
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

    /** Which entity's claimed ids, and the most worth returning. */
    record IdsQuery(String entity, int limit) {
    }

    /** What one sweep call removed, and whether lapsed claims remain. */
    record SweepBatch(int claims, int rows, boolean more) {
    }

    static final Command<ClaimSpec, ClaimOutcome> CLAIM = new Command<>("claim", spec -> {
        List<Object> args = new ArrayList<>(spec.rows().size() + 16);
        args.add(spec.operationId());
        args.add(Long.toString(spec.lease().toMillis()));
        args.add(nullToEmpty(spec.label()));
        args.add(nullToEmpty(spec.user()));
        addGroups(args, spec.rows());
        return args;
    }, (spec, reply) -> {
        String status = reply.text();
        return switch (status) {
            case "CLAIMED" -> ClaimOutcome.granted(reply.integer(), reply.instant(), reply.instant());
            case "CONFLICT" -> ClaimOutcome.refused(heldRows(reply));
            case "BUSY" -> throw new OperationInUseException(spec.operationId());
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
    static final Command<Collection<Row>, List<RowClaim>> INSPECT = new Command<>("inspect", rows -> {
        List<Object> args = new ArrayList<>(rows.size() + 8);
        addGroups(args, rows);
        return args;
    }, (rows, reply) -> heldRows(reply));

    static final Command<IdsQuery, Optional<Set<String>>> IDS = new Command<>("ids",
            q -> List.of(q.entity(), Integer.toString(q.limit())), (q, reply) -> {
                long n = reply.integer();
                if (n < 0) {
                    return Optional.empty();
                }
                Set<String> ids = new HashSet<>((int) n * 2);
                for (long i = 0; i < n; i++) {
                    ids.add(reply.text());
                }
                return Optional.of(ids);
            });

    static final Command<String, List<RowClaim>> CLAIMS_OF = new Command<>("claims_of", List::of,
            (op, reply) -> heldRows(reply));

    static final Command<Integer, SweepBatch> SWEEP = new Command<>("sweep", limit -> List.of(limit.toString()),
            (limit, reply) -> new SweepBatch((int) reply.integer(), (int) reply.integer(), reply.integer() == 1));

    static final Command<Void, List<String>> COMMANDS = new Command<>("commands", none -> List.of(), (none, reply) -> {
        List<String> names = new ArrayList<>();
        while (reply.hasMore()) {
            names.add(reply.text());
        }
        return names;
    });

    /** Every command, as the script's table should list them. */
    static final List<Command<?, ?>> ALL = List.of(CLAIM, RENEW, HOLDS, RELEASE, FORCE, INSPECT, IDS, CLAIMS_OF,
            SWEEP, COMMANDS);

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

    /** Held rows: n, (entity, id, token) * n, then (token, op, label, user, since, lease) per holder; row order. */
    private static List<RowClaim> heldRows(Reply reply) {
        long n = reply.integer();
        List<Object[]> rows = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            rows.add(new Object[] {new Row(reply.text(), reply.text()), reply.integer()});
        }
        Map<Long, Holder> holders = new HashMap<>();
        while (reply.hasMore()) {
            long token = reply.integer();
            holders.put(token, new Holder(reply.text(), emptyToNull(reply.text()), emptyToNull(reply.text()),
                    reply.instant(), reply.instant()));
        }
        TreeMap<Row, Holder> sorted = new TreeMap<>();
        for (Object[] row : rows) {
            sorted.put((Row) row[0], holders.get((Long) row[1]));
        }
        List<RowClaim> result = new ArrayList<>(sorted.size());
        sorted.forEach((row, holder) -> result.add(new RowClaim(row, holder)));
        return result;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
