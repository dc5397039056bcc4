package org.conflictguard.internal;

import java.util.List;
import org.conflictguard.ClaimEvent;
import org.conflictguard.ClaimMode;
import org.conflictguard.RowClaim;
import org.conflictguard.WriteChecksEvent;
import org.conflictguard.internal.metrics.Meters;
import org.conflictguard.spi.ClaimListener;

/** Tells the guard's listeners what happened to claims; a failing listener is logged and skipped. Thread-safe. */
final class Events {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");

    private final List<ClaimListener> listeners;
    private final Meters meters;

    Events(List<ClaimListener> listeners, Meters meters) {
        this.listeners = List.copyOf(listeners);
        this.meters = meters;
    }

    void claimed(DefaultClaim claim) {
        meters.granted(claim.label(), claim.mode(), claim.rows().size(), claim.marks().size());
        fire(new ClaimEvent(ClaimEvent.Kind.CLAIMED, claim.operationId(), claim.label(), claim.rows(), List.of()));
    }

    void refused(String operationId, String label, ClaimMode mode, List<org.conflictguard.Row> rows,
            List<RowClaim> conflicts) {
        meters.refused(label, mode);
        fire(new ClaimEvent(ClaimEvent.Kind.CONFLICT, operationId, label, rows, conflicts));
    }

    /** A claim waited for held rows this long, and was then granted or not. */
    void waited(String label, long nanos, boolean granted) {
        meters.waited(label, nanos, granted);
    }

    void lost(DefaultClaim claim) {
        meters.lost(claim.label());
        fire(new ClaimEvent(ClaimEvent.Kind.LOST, claim.operationId(), claim.label(), claim.rows(), List.of()));
    }

    void released(DefaultClaim claim, Throwable failure) {
        meters.released(claim.label(), claim.heldNanos());
        fire(new ClaimEvent(ClaimEvent.Kind.RELEASED, claim.operationId(), claim.label(), claim.rows(), List.of(),
                failure));
    }

    void writeChecks(boolean local, String reason, String store) {
        meters.viewLocal(local);
        WriteChecksEvent event = new WriteChecksEvent(local ? WriteChecksEvent.Mode.LOCAL
                : WriteChecksEvent.Mode.STORE, reason, store);
        for (ClaimListener listener : listeners) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Claim listener " + listener + " failed on " + event, e);
            }
        }
    }

    private void fire(ClaimEvent event) {
        for (ClaimListener listener : listeners) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Claim listener " + listener + " failed on " + event.kind(), e);
            }
        }
    }
}
