package org.conflictguard.example.tracker;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.conflictguard.admin.ClaimsAdminResource;
import org.conflictguard.rest.ClaimRefusedMapper;
import org.conflictguard.rest.WriteRefusedMapper;

/**
 * The REST API under /api, with the library's 409 problem+json mappers and its admin resource
 * (api/conflictguard/admin: off unless conflictguard.admin.enabled is true, and then only for the
 * role conflictguard.admin.role names).
 */
@ApplicationPath("api")
public class TrackerApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(BoardResource.class, BadInputMapper.class, ClaimRefusedMapper.class, WriteRefusedMapper.class,
                ClaimsAdminResource.class);
    }
}
