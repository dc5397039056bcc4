package org.conflictguard;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What to claim and for whom: the rows, the operation's id, label and user, and the lease.
 * Built with {@link #builder()}, which checks every value as it is set; rows are
 * de-duplicated and sorted when the request is built.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClaimRequest {

    /** Longest operation id accepted, in characters. */
    public static final int MAX_OPERATION_ID_LENGTH = 100;
    /** Longest label or user name accepted, in characters. */
    public static final int MAX_LABEL_LENGTH = 200;
    /** Shortest lease accepted for a lease renewed in the background. */
    public static final Duration MIN_LEASE = Duration.ofMillis(100);
    /** Shortest fixed lease accepted (see {@link Builder#fixedLease(Duration)}). */
    public static final Duration MIN_FIXED_LEASE = Duration.ofMillis(1);
    /** Longest lease accepted. */
    public static final Duration MAX_LEASE = Duration.ofDays(30);

    private final String operationId;
    private final String label;
    private final String user;
    private final Duration lease;
    private final boolean renewed;
    private final ClaimMode mode;
    private final List<Row> rows;
    private final boolean dependents;
    private final Duration wait;

    private ClaimRequest(Builder builder) {
        this.dependents = builder.dependents;
        this.wait = builder.wait;
        this.operationId = builder.operationId != null ? builder.operationId : UUID.randomUUID().toString();
        this.label = builder.label;
        this.user = builder.user;
        this.lease = builder.lease != null ? builder.lease : builder.fixedLease;
        this.renewed = builder.fixedLease == null;
        this.mode = builder.mode;
        this.rows = List.copyOf(builder.rows);
    }

    /** A request for these rows with a fresh operation id and the guard's default lease. */
    public static ClaimRequest of(Collection<Row> rows) {
        return builder().rows(rows).build();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The operation id: as given, or a random UUID. */
    public String operationId() {
        return operationId;
    }

    /** The label, or {@code null}. */
    public String label() {
        return label;
    }

    /** The user, or {@code null}. */
    public String user() {
        return user;
    }

    /** The lease length, or {@code null} for the guard's default. */
    public Duration lease() {
        return lease;
    }

    /**
     * Whether the lease is renewed in the background while the claim is open (the default), or
     * fixed: it ends when it ends unless {@link Claim#renew(Duration)} extends it.
     */
    public boolean isLeaseRenewed() {
        return renewed;
    }

    /** How the claim holds its rows: {@link ClaimMode#EXCLUSIVE} (the default) or {@link ClaimMode#SHARED}. */
    public ClaimMode mode() {
        return mode;
    }

    /** The rows named, de-duplicated and sorted (before their dependents are added). */
    public List<Row> rows() {
        return rows;
    }

    /** How long to wait for rows held by others, or {@code null} to fail at once (the default). */
    public Duration waitUpTo() {
        return wait;
    }

    /** Whether the rows' dependents (see {@link DependsOn}) are claimed too. Defaults to true. */
    public boolean includesDependents() {
        return dependents;
    }

    @Override
    public String toString() {
        return "ClaimRequest[operation " + operationId + (label == null ? "" : " '" + label + "'")
                + ", " + rows.size() + " row(s)" + (mode == ClaimMode.SHARED ? ", shared" : "")
                + (renewed ? "" : ", fixed lease " + lease) + "]";
    }

    /**
     * Builds a {@link ClaimRequest}. Each setter rejects a bad value at once with an
     * {@link InvalidClaimException} naming it. Not thread-safe; {@link #build()} copies.
     */
    public static final class Builder {
        private final TreeSet<Row> rows = new TreeSet<>();
        private String operationId;
        private String label;
        private String user;
        private Duration lease;
        private Duration fixedLease;
        private ClaimMode mode = ClaimMode.EXCLUSIVE;
        private boolean dependents = true;
        private Duration wait;

        private Builder() {
        }

        /**
         * Whether to claim the rows' dependents too, as the guard's dependency graph declares
         * them. Defaults to true; without a graph there are none.
         */
        public Builder dependents(boolean include) {
            this.dependents = include;
            return this;
        }

        /**
         * Adds a row.
         *
         * @throws InvalidClaimException if the entity name or id is not accepted
         */
        public Builder row(String entity, Object id) {
            rows.add(Row.of(entity, id));
            return this;
        }

        /**
         * Adds rows; duplicates are dropped.
         *
         * @throws InvalidClaimException if the collection or one of its rows is null
         */
        public Builder rows(Collection<Row> more) {
            if (more == null) {
                throw new InvalidClaimException(null, null, "rows is null; pass an empty collection to claim nothing");
            }
            for (Row row : more) {
                if (row == null) {
                    throw new InvalidClaimException(null, null, "rows contains null; every element must be a Row");
                }
                rows.add(row);
            }
            return this;
        }

        /**
         * Sets the operation id (default: a random UUID). An operation id may hold one live
         * claim at a time.
         *
         * @throws InvalidClaimException if blank, longer than {@value #MAX_OPERATION_ID_LENGTH}
         *     characters or containing control characters
         */
        public Builder operationId(String operationId) {
            this.operationId = text("operationId", operationId, MAX_OPERATION_ID_LENGTH, false);
            return this;
        }

        /**
         * Sets the label shown to people who meet the claim, e.g. {@code "bulk-archive"}.
         *
         * @throws InvalidClaimException if longer than {@value #MAX_LABEL_LENGTH} characters
         *     or containing control characters
         */
        public Builder label(String label) {
            this.label = text("label", label, MAX_LABEL_LENGTH, true);
            return this;
        }

        /**
         * Sets the user the operation runs for.
         *
         * @throws InvalidClaimException if longer than {@value #MAX_LABEL_LENGTH} characters
         *     or containing control characters
         */
        public Builder user(String user) {
            this.user = text("user", user, MAX_LABEL_LENGTH, true);
            return this;
        }

        /**
         * Sets the lease length (default: the guard's, see {@link ConfigKeys#LEASE}).
         *
         * @throws InvalidClaimException if null, shorter than 100 ms or longer than 30 days
         */
        public Builder lease(Duration lease) {
            this.lease = checkLease(lease, "lease", MIN_LEASE);
            return this;
        }

        /**
         * Sets a fixed lease: the claim lasts this long by the store's clock and is never renewed
         * in the background, so a job that hangs loses its rows when the lease ends ("hold at
         * most"). Only {@link Claim#renew(Duration)} or {@link Claim#renew()} extend it. Instead
         * of {@link #lease(Duration)}, not with it.
         *
         * @throws InvalidClaimException if null, shorter than 1 ms or longer than 30 days
         */
        public Builder fixedLease(Duration lease) {
            this.fixedLease = checkLease(lease, "fixedLease", MIN_FIXED_LEASE);
            return this;
        }

        /**
         * Claims the rows in this mode (default {@link ClaimMode#EXCLUSIVE}). Shared claims of
         * the same rows or subtrees coexist; an exclusive one conflicts with any other claim of
         * overlapping rows; nobody, the shared holders included, may write a row under a shared
         * claim.
         *
         * @throws InvalidClaimException if null
         */
        public Builder mode(ClaimMode mode) {
            if (mode == null) {
                throw new InvalidClaimException(null, null, "mode is null; pass ClaimMode.EXCLUSIVE or ClaimMode.SHARED");
            }
            this.mode = mode;
            return this;
        }

        /** Same as {@code mode(ClaimMode.SHARED)}. */
        public Builder shared() {
            return mode(ClaimMode.SHARED);
        }

        /**
         * Waits up to {@code timeout} for rows held by others to be released, then claims them
         * (all or none) or reports the conflicts as without waiting. Woken by releases (Redis
         * pub/sub; the database store polls with backoff); waiters are not served in order.
         *
         * @throws InvalidClaimException if null, negative or longer than a day
         */
        public Builder waitUpTo(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.compareTo(Duration.ofDays(1)) > 0) {
                throw new InvalidClaimException(null, null, "waitUpTo " + timeout + " is out of range; use"
                        + " Duration.ZERO to 1 day");
            }
            this.wait = timeout;
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws InvalidClaimException if both {@link #lease(Duration)} and
         *     {@link #fixedLease(Duration)} were set
         */
        public ClaimRequest build() {
            if (lease != null && fixedLease != null) {
                throw new InvalidClaimException(null, null, "lease " + lease + " and fixedLease " + fixedLease
                        + " are both set; a lease is either renewed in the background (lease) or fixed (fixedLease):"
                        + " set one of them");
            }
            return new ClaimRequest(this);
        }
    }

    static Duration checkLease(Duration lease, String what, Duration min) {
        if (lease == null) {
            throw new InvalidClaimException(null, null, what + " is null; pass a Duration such as Duration.ofSeconds(30)");
        }
        if (lease.compareTo(min) < 0 || lease.compareTo(MAX_LEASE) > 0) {
            throw new InvalidClaimException(null, null, what + " " + lease + " is out of range; use "
                    + min + " to " + MAX_LEASE);
        }
        return lease;
    }

    private static String text(String what, String value, int max, boolean nullable) {
        if (value == null) {
            if (nullable) {
                return null;
            }
            throw new InvalidClaimException(null, null, what + " is null");
        }
        if (!nullable && value.isBlank()) {
            throw new InvalidClaimException(null, null, what + " is blank");
        }
        if (value.length() > max) {
            throw new InvalidClaimException(null, null, what + " '" + Row.abbreviate(value) + "' is "
                    + value.length() + " characters long; at most " + max + " are accepted");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidClaimException(null, null, what + " '" + Row.abbreviate(value)
                        + "' contains a control character at index " + i);
            }
        }
        return Objects.requireNonNull(value);
    }
}
