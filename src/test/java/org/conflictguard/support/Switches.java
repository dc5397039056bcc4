package org.conflictguard.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.conflictguard.ClaimEvent;
import org.conflictguard.WriteChecksEvent;
import org.conflictguard.spi.ClaimListener;

/** A listener that keeps every claim event and every switch of the write checks, in order. */
public final class Switches implements ClaimListener {

    private final List<ClaimEvent> claims = new CopyOnWriteArrayList<>();
    private final List<WriteChecksEvent> switches = new CopyOnWriteArrayList<>();

    @Override
    public void on(ClaimEvent event) {
        claims.add(event);
    }

    @Override
    public void on(WriteChecksEvent event) {
        switches.add(event);
    }

    /** The claim events so far. */
    public List<ClaimEvent> claims() {
        return claims;
    }

    /** The switches so far. */
    public List<WriteChecksEvent> switches() {
        return switches;
    }

    /** The mode of the last switch, or null before the first. */
    public WriteChecksEvent.Mode mode() {
        return switches.isEmpty() ? null : switches.get(switches.size() - 1).mode();
    }

    /** Waits until a switch to the given mode comes after the first {@code seen} switches. */
    public void awaitSwitchAfter(int seen, WriteChecksEvent.Mode mode, Duration atMost) {
        await("write checks switch to " + mode).atMost(atMost).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    // A copy: a sublist of the live list fails when a switch arrives while it is read.
                    List<WriteChecksEvent> now = List.copyOf(switches);
                    return now.subList(Math.min(seen, now.size()), now.size()).stream().anyMatch(s -> s.mode() == mode);
                });
    }

    /** Waits until the last switch says checks answer locally. */
    public void awaitLocal(Duration atMost) {
        await("write checks answer from the view").atMost(atMost).pollInterval(Duration.ofMillis(5))
                .until(() -> mode() == WriteChecksEvent.Mode.LOCAL);
    }
}
