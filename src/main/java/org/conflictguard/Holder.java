package org.conflictguard;

import java.time.Instant;
import java.util.Objects;

/**
 * Who holds a row: the operation, its label and user, and the lease, in the store's clock.
 * Holders never carry the claim's fencing token: the token is the holder's own capability.
 * A conflict can also name a claim that waits for the row ahead of the claim refused: such a
 * holder is {@link #waiting()}, its {@code since} is when it started waiting and its
 * {@code leaseUntil} when its place in the queue lapses unless it asks again.
 *
 * <p>Immutable and thread-safe.
 *
 * @param operationId the holding operation's id
 * @param label the operation's label, e.g. {@code "bulk-archive"}, or {@code null}
 * @param user the user the operation runs for, or {@code null}
 * @param since when the claim was made, by the store's clock
 * @param leaseUntil when the claim lapses unless renewed, by the store's clock
 * @param mode whether the holder's claim is exclusive or shared
 * @param waiting whether this is a claim waiting in the queue ahead of the one refused, not one
 *     granted
 */
public record Holder(String operationId, String label, String user, Instant since, Instant leaseUntil,
        ClaimMode mode, boolean waiting) {

    /** @throws NullPointerException if the operation id, either instant or the mode is null */
    public Holder {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        Objects.requireNonNull(mode, "mode");
    }

    /** A holder of a granted claim. */
    public Holder(String operationId, String label, String user, Instant since, Instant leaseUntil,
            ClaimMode mode) {
        this(operationId, label, user, since, leaseUntil, mode, false);
    }

    /** An exclusive holder. */
    public Holder(String operationId, String label, String user, Instant since, Instant leaseUntil) {
        this(operationId, label, user, since, leaseUntil, ClaimMode.EXCLUSIVE);
    }

    /**
     * A one-line description for messages, naming the operation id and the label each for what it
     * is: {@code operation '7f3c...' (label 'bulk-archive') for user 'alice' since ..., lease until ...};
     * a shared holder says so ({@code operation '...' (label 'export') in shared mode for user ...});
     * a waiting one too ({@code operation '...' waiting ahead in the queue for user ... since ...,
     * place kept until ...}).
     */
    public String describe() {
        return "operation '" + operationId + "'" + (label == null ? "" : " (label '" + label + "')")
                + (mode == ClaimMode.SHARED ? " in shared mode" : "")
                + (waiting ? " waiting ahead in the queue" : "")
                + (user == null ? "" : " for user '" + user + "'")
                + " since " + since + (waiting ? ", place kept until " : ", lease until ") + leaseUntil;
    }
}
