package org.conflictguard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter of a {@link Guarded} method as rows to claim: an id, an entity, or a
 * collection (or array) of either. Null parameters claim nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ClaimTarget {

    /** The entity the ids refer to, when it differs from {@link Guarded#entity()}. */
    Class<?> entity() default void.class;
}
