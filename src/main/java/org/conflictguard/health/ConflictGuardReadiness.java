package org.conflictguard.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.conflictguard.ConflictGuard;
import org.conflictguard.StoreStatus;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A MicroProfile Health readiness check named {@code conflictguard}: up while the claim store
 * answers, down when it does not (claims and their releases would fail), with the store, one
 * round trip's time in microseconds, the default lease and the number of claims the store keeps
 * as data. Names no operation, row or user. Found by CDI in this jar where MicroProfile Health is
 * present; where it is not, the class is skipped. Thread-safe.
 */
@Readiness
@ApplicationScoped
public class ConflictGuardReadiness implements HealthCheck {

    /** The name of the check in health reports. */
    public static final String NAME = "conflictguard";

    @Inject
    Instance<ConflictGuard> guards;

    /** For CDI. */
    public ConflictGuardReadiness() {
    }

    /** Reports how the guard's store answers now (one round trip and one count of its claims). */
    @Override
    public HealthCheckResponse call() {
        return response(guards.get().checkStore());
    }

    /** The response for a store status. */
    static HealthCheckResponse response(StoreStatus status) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("store", status.store());
        data.put("lease", status.lease().toString());
        if (status.reachable()) {
            data.put("roundTripMicros", status.roundTrip().toNanos() / 1_000);
            data.put("claims", status.claims());
        } else {
            data.put("problem", status.problem());
        }
        return new HealthCheckResponse(NAME, status.reachable() ? HealthCheckResponse.Status.UP
                : HealthCheckResponse.Status.DOWN, Optional.of(data));
    }
}
