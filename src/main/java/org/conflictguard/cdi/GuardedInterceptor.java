package org.conflictguard.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.conflictguard.Guarded;

/** The {@link Guarded} interceptor: hands every call to {@link GuardedInvocations}. Not API. */
@Guarded
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE + 500)
public class GuardedInterceptor {

    @Inject
    GuardedInvocations invocations;

    @AroundInvoke
    Object guard(InvocationContext invocation) throws Exception {
        return invocations.invoke(invocation);
    }
}
