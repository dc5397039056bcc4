package org.conflictguard;

import java.util.List;

/**
 * The settings ConflictGuard reads. Each is looked up, in this order, in the values given to
 * {@link ConflictGuardBuilder#setting(String, String)}, MicroProfile Config (when present),
 * Java system properties, and environment variables (upper case, {@code .} and {@code -} as
 * {@code _}: {@code CONFLICTGUARD_REDIS_ADDRESS}). A bad value fails
 * {@link ConflictGuardBuilder#build()} with a {@link ConfigurationException} naming the key.
 */
public final class ConfigKeys {

    /**
     * Accepts {@code true} or {@code false}. Defaults to {@code true}.
     * When false every claim succeeds without touching a store, and a WARNING says so at startup.
     */
    public static final String ENABLED = "conflictguard.enabled";

    /**
     * Accepts {@code auto}, {@code redis} or {@code database}. Defaults to {@code auto}.
     * See {@link StoreType}.
     */
    public static final String STORE = "conflictguard.store";

    /**
     * Accepts a Redis URI such as {@code redis://127.0.0.1:6379} or {@code rediss://user:pass@host:6380}.
     * No default.
     */
    public static final String REDIS_ADDRESS = "conflictguard.redis.address";

    /**
     * Accepts the path of a Redisson YAML file (sentinel, cluster, TLS...); wins over the address.
     * No default.
     */
    public static final String REDIS_CONFIG = "conflictguard.redis.config";

    /**
     * Accepts 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}. Defaults to {@code conflictguard}.
     * Applications with different namespaces never see each other's claims, in Redis (key prefix
     * {@code {namespace}:}) and in the database (the {@code namespace} column).
     */
    public static final String NAMESPACE = "conflictguard.namespace";

    /**
     * Accepts a duration from {@code 100ms} to {@code 30d}, as {@code 30s}, {@code 500ms}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 {@code PT30S}.
     * Defaults to {@code 30s}. How long a claim lasts unless its live owner renews it.
     */
    public static final String LEASE = "conflictguard.lease";

    /**
     * Accepts a duration as for the lease, or {@code off}. Defaults to {@code 5m}.
     * How often lapsed claims are swept.
     */
    public static final String SWEEP_INTERVAL = "conflictguard.sweep-interval";

    /**
     * Accepts the name of a RESOURCE_LOCAL persistence unit that maps {@code ObjectLock}. Defaults to {@code conflictguard}.
     * Used only when no EntityManagerFactory is given to the builder.
     */
    public static final String PERSISTENCE_UNIT = "conflictguard.persistence-unit";

    /**
     * Accepts {@code auto}, {@code h2}, {@code postgresql} or {@code mariadb}. Defaults to {@code auto}.
     * {@code auto} asks the JPA provider, else the database.
     */
    public static final String DATABASE_DIALECT = "conflictguard.database.dialect";

    /**
     * Accepts a whole number from {@code 0} to {@code 10000000}. Defaults to {@code 200000}.
     * The most marks this node's view of the claims keeps (about 140 bytes each with short ids);
     * the entities of a claim that would go over are checked with the store while it lives; 0
     * turns the view off.
     */
    public static final String VIEW_MAX_MARKS = "conflictguard.view.max-marks";

    /**
     * Accepts a duration from {@code 1ms} to {@code 10s}, as {@code 10ms}, {@code 1s} or ISO-8601 {@code PT0.01S}. Defaults to {@code 10ms}.
     * Where the store cannot push its grants (MariaDB, H2), how long the view answers write
     * checks before it compares itself with the store again.
     */
    public static final String VIEW_POLL_INTERVAL = "conflictguard.view.poll-interval";

    /**
     * Accepts a whole number from {@code 0} to {@code 10}. Defaults to {@code 0}.
     * How many Redis replicas must confirm each claim, renewal and release before it counts
     * ({@code WAIT} in the same round trip), so that a failover to one of them loses none; 0 asks
     * none. A claim not confirmed in {@link #REDIS_SYNC_TIMEOUT} is withdrawn and fails with a
     * {@link StoreException}; fewer replicas than this at startup fail {@code build()}.
     */
    public static final String REDIS_SYNC_REPLICAS = "conflictguard.redis.sync-replicas";

    /**
     * Accepts a duration from {@code 1ms} to {@code 60s}, as {@code 500ms}, {@code 1s} or ISO-8601 {@code PT1S}. Defaults to {@code 1s}.
     * How long a write waits for the replicas {@link #REDIS_SYNC_REPLICAS} asks for.
     */
    public static final String REDIS_SYNC_TIMEOUT = "conflictguard.redis.sync-timeout";

    /**
     * Accepts {@code true} or {@code false}. Defaults to {@code true}.
     * Whether the guard reports meters through Micrometer: to the registry given to
     * {@link ConflictGuardBuilder#meterRegistry}, else (in CDI) the application's
     * {@code MeterRegistry} bean, else Micrometer's global registry; nothing when Micrometer is
     * not on the class path.
     */
    public static final String METRICS_ENABLED = "conflictguard.metrics.enabled";

    /**
     * Accepts {@code true} or {@code false}. Defaults to {@code false}.
     * Whether the admin resource ({@code org.conflictguard.admin.ClaimsAdminResource}, under
     * {@code conflictguard/admin} of the application's REST root) answers; when false every path
     * of it answers 404, as if absent.
     */
    public static final String ADMIN_ENABLED = "conflictguard.admin.enabled";

    /**
     * Accepts a role name: letters, digits and {@code . _ -}, 1 to 100 characters. No default.
     * The role a caller of the admin resource must be in (the container's
     * {@code SecurityContext.isUserInRole}); unset, the resource refuses every call (403) and
     * says why.
     */
    public static final String ADMIN_ROLE = "conflictguard.admin.role";

    /** Every key above. */
    public static final List<String> ALL = List.of(ENABLED, STORE, REDIS_ADDRESS, REDIS_CONFIG, NAMESPACE,
            LEASE, SWEEP_INTERVAL, PERSISTENCE_UNIT, DATABASE_DIALECT, VIEW_MAX_MARKS, VIEW_POLL_INTERVAL,
            REDIS_SYNC_REPLICAS, REDIS_SYNC_TIMEOUT, METRICS_ENABLED, ADMIN_ENABLED, ADMIN_ROLE);

    private ConfigKeys() {
    }
}
