package org.conflictguard.internal;

import java.util.List;
import org.conflictguard.ClaimEvent;
import org.conflictguard.RowClaim;
import org.conflictguard.WriteChecksEvent;
import org.conflictguard.spi.ClaimListener;

/** Tells the guard's listeners what happened to claims; a failing listener is logged and skipped. Thread-safe. */
final class Events {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");

    private final List<ClaimListener> listeners;

    Events(List<ClaimListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    void claimed(DefaultClaim claim) {
        fire(new ClaimEvent(ClaimEvent.Kind.CLAIMED, claim.operationId(), claim.label(), claim.rows(), List.of()));
    }

    void refused(String operationId, String label, List<org.conflictguard.Row> rows, List<RowClaim> conflicts) {
        fire(new ClaimEvent(ClaimEvent.Kind.CONFLICT, operationId, label, rows, conflicts));
    }

    void lost(DefaultClaim claim) {
        fire(new ClaimEvent(ClaimEvent.Kind.LOST, claim.operationId(), claim.label(), claim.rows(), List.of()));
    }

    void released(DefaultClaim claim, Throwable failure) {
        fire(new ClaimEvent(ClaimEvent.Kind.RELEASED, claim.operationId(), claim.label(), claim.rows(), List.of(),
                failure));
    }

    void writeChecks(boolean local, String reason, String store) {
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
