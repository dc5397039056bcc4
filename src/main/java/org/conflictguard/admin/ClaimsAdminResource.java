package org.conflictguard.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.StoreException;
import org.conflictguard.SweepSummary;
import org.conflictguard.internal.config.Settings;

/**
 * The admin resource and page, under {@code conflictguard/admin} of the application's REST root:
 * {@code GET} the page itself; {@code GET operations} the live claims (operation, label, user,
 * mode, since, lease end, marks); {@code GET rows/{entity}/{id}} who holds a row;
 * {@code POST operations/{operationId}/release} force-releases an operation's claims (logged with
 * the caller's name and fired as a {@link ForceReleaseEvent}); {@code POST sweep} removes lapsed
 * claims. Answers JSON (problems as {@code application/problem+json}).
 *
 * <p>Off by default: unless {@link ConfigKeys#ADMIN_ENABLED} is true every path answers 404. On,
 * every path needs a caller in the role {@link ConfigKeys#ADMIN_ROLE} names (403 otherwise; with
 * no role configured, 403 for everyone, saying so). {@code POST}s also need the header
 * {@code X-Requested-By} (any value; the page sends it), which a page of another site cannot send
 * without the browser asking first, so a logged-in operator's browser cannot be made to release
 * claims by another site. A malformed operation id or row answers 400 and an operation with no
 * live claim 404, before the store is changed.
 *
 * <p>The container finds the resource by scanning for {@code @Path} (an application whose
 * {@code Application} lists its classes adds this one). A request-scoped CDI bean; thread-safe.
 */
@RequestScoped
@Path("conflictguard/admin")
public class ClaimsAdminResource {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");
    private static final String PROBLEM = "application/problem+json";
    private static final String JSON = "application/json";

    private ConflictGuard guard;
    private Settings settings;
    private Consumer<ForceReleaseEvent> fire;

    /**
     * For the container's proxies (and for Jakarta REST runtimes that look for a public
     * constructor before asking CDI); a resource made this way outside CDI has no guard and
     * answers 503.
     */
    public ClaimsAdminResource() {
    }

    /**
     * The resource CDI creates: on the application's guard, with settings read from MicroProfile
     * Config, system properties and the environment, firing force-releases as CDI events.
     */
    @Inject
    public ClaimsAdminResource(ConflictGuard guard, Event<ForceReleaseEvent> events) {
        this(guard, null, events::fire);
    }

    /**
     * A resource on this guard with these settings (null: read them when first needed), telling
     * {@code fire} of force-releases.
     */
    ClaimsAdminResource(ConflictGuard guard, Settings settings, Consumer<ForceReleaseEvent> fire) {
        this.guard = guard;
        this.settings = settings;
        this.fire = fire;
    }

    /** The page. */
    @GET
    public Response page(@Context SecurityContext security) {
        return allowed(security).orElseGet(() -> Response.ok(page(), "text/html; charset=UTF-8")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline' 'self';"
                        + " style-src 'unsafe-inline'").build());
    }

    /** The live claims, oldest first. */
    @GET
    @Path("operations")
    public Response operations(@Context SecurityContext security) {
        return allowed(security).orElseGet(() -> store(() -> Response.ok(Json.operations(guard.operations()), JSON)
                .build()));
    }

    /** Who holds a row (the row itself, or a tree it is in). */
    @GET
    @Path("rows/{entity}/{id}")
    public Response row(@Context SecurityContext security, @PathParam("entity") String entity,
            @PathParam("id") String id) {
        return allowed(security).orElseGet(() -> {
            Row row;
            try {
                row = Row.of(entity, id);
            } catch (IllegalArgumentException e) {
                return problem(400, "Malformed row", e.getMessage());
            }
            return store(() -> {
                Map<Row, RowClaim> seen = guard.inspect(List.of(row));
                return Response.ok(Json.row(row, seen.get(row)), JSON).build();
            });
        });
    }

    /** Force-releases every claim of an operation that holds a live one. */
    @POST
    @Path("operations/{operationId}/release")
    public Response release(@Context SecurityContext security, @HeaderParam("X-Requested-By") String requestedBy,
            @PathParam("operationId") String operationId) {
        return allowed(security).or(() -> fromPage(requestedBy)).orElseGet(() -> {
            try {
                ClaimRequest.builder().operationId(operationId);
            } catch (InvalidClaimException e) {
                return problem(400, "Malformed operation id", e.getMessage());
            }
            return store(() -> {
                if (guard.claimsOf(operationId).isEmpty()) {
                    return problem(404, "No such operation", "Operation '" + operationId + "' holds no live claim"
                            + " here; nothing was released");
                }
                String by = name(security);
                int rows = guard.forceRelease(operationId);
                LOG.log(System.Logger.Level.WARNING, "Operation '" + operationId + "' force-released by '" + by
                        + "' through the admin resource: " + rows + " row(s)");
                ForceReleaseEvent event = new ForceReleaseEvent(operationId, by, rows, Instant.now());
                fire.accept(event);
                return Response.ok("{\"operationId\":" + Json.string(operationId) + ",\"rows\":" + rows + "}", JSON)
                        .build();
            });
        });
    }

    /** Removes the claims whose lease lapsed. */
    @POST
    @Path("sweep")
    public Response sweep(@Context SecurityContext security, @HeaderParam("X-Requested-By") String requestedBy) {
        return allowed(security).or(() -> fromPage(requestedBy)).orElseGet(() -> store(() -> {
            SweepSummary swept = guard.sweep();
            return Response.ok("{\"claims\":" + swept.claims() + ",\"rows\":" + swept.rows() + "}", JSON).build();
        }));
    }

    /** Empty when the caller may go on; else the answer that stops it. */
    private Optional<Response> allowed(SecurityContext security) {
        if (guard == null) {
            return Optional.of(problem(503, "No guard", "The admin resource was created outside CDI and has no"
                    + " ConflictGuard; deploy it where CDI creates its resources (Jakarta EE servers do)"));
        }
        Settings current = settings();
        if (!current.adminEnabled()) {
            return Optional.of(Response.status(404).build());
        }
        if (current.adminRole().isEmpty()) {
            return Optional.of(problem(403, "No admin role configured", "The admin resource refuses every call"
                    + " until " + ConfigKeys.ADMIN_ROLE + " names the role its callers must be in"));
        }
        String role = current.adminRole().get();
        if (security == null || security.getUserPrincipal() == null) {
            return Optional.of(problem(401, "Not signed in", "The admin resource needs a caller signed in and in"
                    + " the role '" + role + "' (" + ConfigKeys.ADMIN_ROLE + ")"));
        }
        if (!security.isUserInRole(role)) {
            return Optional.of(problem(403, "Not in the admin role", "The admin resource needs the role '" + role
                    + "' (" + ConfigKeys.ADMIN_ROLE + "); '" + security.getUserPrincipal().getName()
                    + "' is not in it"));
        }
        return Optional.empty();
    }

    private static Optional<Response> fromPage(String requestedBy) {
        if (requestedBy == null || requestedBy.isBlank()) {
            return Optional.of(problem(403, "Missing header", "Changes need the header X-Requested-By (any value),"
                    + " as the admin page sends it"));
        }
        return Optional.empty();
    }

    private Settings settings() {
        if (settings == null) {
            settings = Settings.read(Map.of());
        }
        return settings;
    }

    private static Response store(java.util.function.Supplier<Response> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            return problem(503, "Claim store unreachable", e.getMessage());
        }
    }

    private static String name(SecurityContext security) {
        Principal principal = security.getUserPrincipal();
        return principal == null ? "unknown" : principal.getName();
    }

    private static Response problem(int status, String title, String detail) {
        return Response.status(status).type(PROBLEM).entity(Json.problem(status, title, detail)).build();
    }

    private static String page() {
        try (InputStream in = ClaimsAdminResource.class.getResourceAsStream("admin.html")) {
            if (in == null) {
                throw new IllegalStateException("org/conflictguard/admin/admin.html is missing from the library");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the admin page", e);
        }
    }
}
