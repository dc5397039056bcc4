package org.conflictguard.containers.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.conflictguard.rest.ClaimRefusedMapper;
import org.conflictguard.rest.WriteRefusedMapper;

/** The REST API under /api, with the library's 409 problem+json mappers. */
@ApplicationPath("api")
public class Api extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(Holds.class, ClaimRefusedMapper.class, WriteRefusedMapper.class);
    }
}
