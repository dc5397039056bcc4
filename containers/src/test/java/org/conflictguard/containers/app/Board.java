package org.conflictguard.containers.app;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.conflictguard.ClaimTarget;
import org.conflictguard.Guarded;

/** Operations on a whole project: each claims the project and its tasks while it runs. */
@ApplicationScoped
public class Board {

    public static final String HOLD = "containers-hold";
    public static final String TOUCH = "containers-touch";

    /** Holds the project's tree until {@code until} completes: the claim is released then. */
    @Guarded(entity = Project.class, label = HOLD)
    public CompletionStage<String> hold(@ClaimTarget long projectId, CompletionStage<String> until) {
        return until;
    }

    /** Claims the project's tree for the length of the call. */
    @Guarded(entity = Project.class, label = TOUCH)
    public String touch(@ClaimTarget long projectId) {
        return "touched " + projectId;
    }
}
