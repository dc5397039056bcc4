package org.conflictguard.example.tracker;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The bulk operations this server started, with their progress (kept for the page, newest first). */
@ApplicationScoped
public class Operations {

    /** How many finished operations the page keeps showing. */
    private static final int KEEP = 20;

    private final Map<String, Operation> byId = new ConcurrentHashMap<>();

    Operation start(String operationId, String label, long projectId, int total) {
        Operation op = new Operation(operationId, label, projectId, total);
        byId.put(operationId, op);
        List<Operation> finished = new ArrayList<>(byId.values().stream().filter(o -> o.state != State.RUNNING)
                .sorted(Comparator.comparing((Operation o) -> o.started).reversed()).toList());
        finished.stream().skip(KEEP).forEach(o -> byId.remove(o.operationId));
        return op;
    }

    Optional<Operation> find(String operationId) {
        return Optional.ofNullable(byId.get(operationId));
    }

    List<Map<String, Object>> all() {
        return byId.values().stream().sorted(Comparator.comparing((Operation o) -> o.started).reversed())
                .map(Operation::json).toList();
    }

    enum State { RUNNING, DONE, FAILED }

    /** One bulk operation; its counters are written by the worker thread and read by requests. */
    static final class Operation {
        final String operationId;
        final String label;
        final long projectId;
        final int total;
        final Instant started = Instant.now();
        volatile int done;
        volatile State state = State.RUNNING;
        volatile String error;
        volatile Instant ended;

        Operation(String operationId, String label, long projectId, int total) {
            this.operationId = operationId;
            this.label = label;
            this.projectId = projectId;
            this.total = total;
        }

        void step() {
            done++;
        }

        void finish(Throwable failure) {
            error = failure == null ? null : String.valueOf(failure.getMessage());
            ended = Instant.now();
            state = failure == null ? State.DONE : State.FAILED;
        }

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("operationId", operationId);
            json.put("label", label);
            json.put("projectId", projectId);
            json.put("state", state.name());
            json.put("done", done);
            json.put("total", total);
            json.put("started", started.toString());
            json.put("ended", ended == null ? null : ended.toString());
            json.put("error", error);
            return json;
        }
    }
}
