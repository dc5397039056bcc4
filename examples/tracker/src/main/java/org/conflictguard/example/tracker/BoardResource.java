package org.conflictguard.example.tracker;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Holder;
import org.conflictguard.Row;

/**
 * The tracker's API: the board with its claim marks, the bulk operation, single-task edits and
 * the list of claimed rows. Refused claims and writes become 409 problem+json through the
 * library's mappers.
 */
@Path("/")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class BoardResource {

    @Inject
    ConflictGuard guard;
    @Inject
    Rescheduler rescheduler;
    @Inject
    TaskWriter writer;
    @Inject
    Operations operations;
    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;
    @PersistenceContext(unitName = "tracker")
    EntityManager em;

    /** Which store the guard uses, for people and for readiness checks. */
    @GET
    @Path("health")
    public Map<String, Object> health() {
        return Map.of("status", "UP", "store", guard.description());
    }

    /** A few of the library's meters, as the application's registry has them. */
    @GET
    @Path("meters")
    public Map<String, Object> meters() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("claimsGranted", meters.find("conflictguard.claims").tag("result", "granted").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum());
        json.put("claimsRefused", meters.find("conflictguard.claims").tag("result", "refused").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum());
        json.put("releases", meters.find("conflictguard.claim.held").timers().stream()
                .mapToLong(io.micrometer.core.instrument.Timer::count).sum());
        json.put("writeChecks", meters.find("conflictguard.write.checks").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum());
        return json;
    }

    /** Projects, milestones and tasks, each with the claim on it (or null) and the operation's progress. */
    @GET
    @Path("board")
    public Map<String, Object> board() {
        List<Project> projects = em.createQuery("select p from Project p order by p.id", Project.class).getResultList();
        List<Milestone> milestones = em.createQuery("select m from Milestone m order by m.id", Milestone.class)
                .getResultList();
        List<Task> tasks = em.createQuery("select t from Task t order by t.id", Task.class).getResultList();
        List<Row> rows = new ArrayList<>();
        projects.forEach(p -> rows.add(Row.of("Project", p.getId())));
        milestones.forEach(m -> rows.add(Row.of("Milestone", m.getId())));
        tasks.forEach(t -> rows.add(Row.of("Task", t.getId())));
        // A row inside a claimed tree is reported with the tree's holder (and the tree's root as within()).
        Map<Row, Holder> claims = new java.util.HashMap<>();
        guard.inspect(rows).forEach((row, claim) -> claims.put(row, claim.holder()));

        List<Map<String, Object>> projectJson = new ArrayList<>();
        for (Project p : projects) {
            Map<String, Object> pj = node(p.getId(), claims.get(Row.of("Project", p.getId())));
            pj.put("name", p.getName());
            List<Map<String, Object>> milestoneJson = new ArrayList<>();
            for (Milestone m : milestones) {
                if (m.getProject().getId() != p.getId()) {
                    continue;
                }
                Map<String, Object> mj = node(m.getId(), claims.get(Row.of("Milestone", m.getId())));
                mj.put("name", m.getName());
                mj.put("due", m.getDue().toString());
                List<Map<String, Object>> taskJson = new ArrayList<>();
                for (Task t : tasks) {
                    if (t.getMilestone().getId() == m.getId()) {
                        taskJson.add(task(t, claims.get(Row.of("Task", t.getId()))));
                    }
                }
                mj.put("tasks", taskJson);
                milestoneJson.add(mj);
            }
            pj.put("milestones", milestoneJson);
            projectJson.add(pj);
        }
        Map<String, Object> board = new LinkedHashMap<>();
        board.put("store", guard.description());
        board.put("projects", projectJson);
        board.put("operations", operations.all());
        return board;
    }

    /** Every claimed row of the board, with its holder. */
    @GET
    @Path("claims")
    public List<Map<String, Object>> claims() {
        List<Row> rows = new ArrayList<>();
        em.createQuery("select p.id from Project p", Long.class).getResultList()
                .forEach(id -> rows.add(Row.of("Project", id)));
        em.createQuery("select m.id from Milestone m", Long.class).getResultList()
                .forEach(id -> rows.add(Row.of("Milestone", id)));
        em.createQuery("select t.id from Task t", Long.class).getResultList()
                .forEach(id -> rows.add(Row.of("Task", id)));
        List<Map<String, Object>> claimed = new ArrayList<>();
        guard.inspect(rows).forEach((row, held) -> {
            Map<String, Object> json = claim(held.holder());
            json.put("entity", row.entity());
            json.put("id", row.id());
            claimed.add(json);
        });
        return claimed;
    }

    /**
     * Starts moving every task of the project by {@code days}; answers 202 with the operation at
     * once, or 409 naming the conflicting rows when any row of the project's tree is claimed.
     */
    @POST
    @Path("projects/{id}/reschedule")
    public Response reschedule(@PathParam("id") long projectId, @QueryParam("days") @DefaultValue("7") int days) {
        if (em.find(Project.class, projectId) == null) {
            throw new NotFoundException("There is no project " + projectId);
        }
        if (days < -365 || days > 365) {
            throw new BadRequestException("days must be between -365 and 365, not " + days);
        }
        AtomicReference<Operations.Operation> started = new AtomicReference<>();
        rescheduler.reschedule(projectId, days, started::set);
        return Response.accepted(started.get().json()).build();
    }

    /** One operation's progress. */
    @GET
    @Path("operations/{id}")
    public Map<String, Object> operation(@PathParam("id") String operationId) {
        return operations.find(operationId).map(Operations.Operation::json)
                .orElseThrow(() -> new NotFoundException("There is no operation " + operationId));
    }

    /** What the edit form sends. */
    public static class TaskEdit {
        public String title;
        public String due;
    }

    /** Saves a task's title and due date; 409 problem+json when the task is claimed by an operation. */
    @PUT
    @Path("tasks/{id}")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> edit(@PathParam("id") long taskId, TaskEdit edit) {
        if (edit == null || edit.title == null || edit.title.isBlank() || edit.title.length() > 200) {
            throw new BadRequestException("title is required (1 to 200 characters)");
        }
        LocalDate due;
        try {
            due = LocalDate.parse(edit.due == null ? "" : edit.due);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("due must be a date like 2027-01-31, not '" + edit.due + "'");
        }
        Task saved = writer.edit(taskId, edit.title.strip(), due);
        return task(saved, null);
    }

    /** Deletes a task; 409 problem+json when it is claimed. */
    @DELETE
    @Path("tasks/{id}")
    public Response delete(@PathParam("id") long taskId) {
        writer.delete(taskId);
        return Response.noContent().build();
    }

    private Map<String, Object> task(Task t, Holder holder) {
        Map<String, Object> json = node(t.getId(), holder);
        json.put("title", t.getTitle());
        json.put("due", t.getDue().toString());
        json.put("version", t.getVersion());
        return json;
    }

    private Map<String, Object> node(long id, Holder holder) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("claim", holder == null ? null : claim(holder));
        return json;
    }

    private Map<String, Object> claim(Holder holder) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("operationId", holder.operationId());
        json.put("label", holder.label());
        json.put("user", holder.user());
        json.put("since", holder.since().toString());
        json.put("leaseUntil", holder.leaseUntil().toString());
        operations.find(holder.operationId()).ifPresent(op -> {
            json.put("done", op.done);
            json.put("total", op.total);
        });
        return json;
    }
}
