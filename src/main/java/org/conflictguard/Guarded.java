package org.conflictguard;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a CDI bean's method as a guarded operation: before it runs, the rows named by its
 * {@link ClaimTarget} parameters and all their dependents are claimed (all or none); while it
 * runs, the claim is bound to the thread; when it returns or throws, the claim is released. A
 * method returning a {@code CompletionStage} keeps its claim until the stage completes.
 *
 * <pre>{@code
 * @Guarded(entity = Project.class, label = "archive-project")
 * public CompletionStage<Void> archive(@ClaimTarget long projectId) { ... }
 * }</pre>
 *
 * <p>On conflict the method does not run and {@link ClaimRefusedException} is thrown, listing
 * every conflicting row and holder; with {@code onConflict = WAIT} the claim is retried as
 * claims are released, up to {@link #waitSeconds()}.
 */
@Inherited
@Documented
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Guarded {

    /** The entity whose ids the {@link ClaimTarget} parameters hold (not needed when they hold entities). */
    @Nonbinding
    Class<?> entity() default void.class;

    /** The operation's label, shown to whoever meets its claims; defaults to {@code Class.method}. */
    @Nonbinding
    String label() default "";

    /** What to do when rows are held by others. */
    @Nonbinding
    OnConflict onConflict() default OnConflict.FAIL;

    /** With {@link OnConflict#WAIT}: how long to wait for the rows, in seconds (at least 1). */
    @Nonbinding
    long waitSeconds() default 0;

    /** Whether dependents (see {@link DependsOn}) are claimed too. */
    @Nonbinding
    boolean dependents() default true;

    /**
     * How the rows are claimed: {@link ClaimMode#EXCLUSIVE} (the default) for work that changes
     * them, {@link ClaimMode#SHARED} for work that reads them and needs nobody to change them
     * meanwhile (an export, a report); shared operations run side by side, and their own writes to
     * the rows are refused too.
     */
    @Nonbinding
    ClaimMode mode() default ClaimMode.EXCLUSIVE;
}
