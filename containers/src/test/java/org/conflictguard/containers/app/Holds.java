package org.conflictguard.containers.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP face: {@code POST holds/{project}} starts holding a project's tree (409 problem+json
 * when it is claimed), {@code DELETE holds/{project}} ends it, {@code PUT tasks/{id}} renames a
 * task (409 problem+json when it is claimed).
 */
@Path("")
@ApplicationScoped
public class Holds {

    private final Map<Long, CompletableFuture<String>> running = new ConcurrentHashMap<>();

    @Inject
    Board board;
    @Inject
    TaskWriter writer;

    @POST
    @Path("holds/{project}")
    public Response hold(@PathParam("project") long projectId) {
        CompletableFuture<String> until = new CompletableFuture<>();
        board.hold(projectId, until);
        running.put(projectId, until);
        return Response.status(Response.Status.CREATED).build();
    }

    @DELETE
    @Path("holds/{project}")
    public Response end(@PathParam("project") long projectId) {
        CompletableFuture<String> until = running.remove(projectId);
        if (until == null) {
            throw new NotFoundException("Project " + projectId + " is not held");
        }
        until.complete("done");
        return Response.noContent().build();
    }

    @PUT
    @Path("tasks/{id}")
    public Response rename(@PathParam("id") long taskId, String title) {
        writer.rename(taskId, title);
        return Response.noContent().build();
    }
}
