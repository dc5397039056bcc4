package org.conflictguard.example.tracker;

import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** 400 and 404 as problem+json carrying the message, so the page can show what was wrong. */
@Provider
public class BadInputMapper implements ExceptionMapper<ClientErrorException> {

    @Override
    public Response toResponse(ClientErrorException e) {
        int status = e.getResponse().getStatus();
        return Response.status(status).type("application/problem+json")
                .entity(Map.of("title", e.getResponse().getStatusInfo().getReasonPhrase(), "status", status,
                        "detail", String.valueOf(e.getMessage())))
                .build();
    }
}
