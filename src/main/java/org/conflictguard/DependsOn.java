package org.conflictguard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that rows of the annotated entity depend on the row an attribute path leads to: when
 * that row is claimed, the rows of this entity that point to it are claimed with it,
 * transitively. Read it as "a Task depends on its milestone":
 *
 * <pre>{@code
 * @Entity
 * @DependsOn("milestone")                 // claiming a Milestone also claims its Tasks
 * public class Task {
 *     @ManyToOne Milestone milestone;
 * }
 *
 * @Entity
 * @DependsOn("project")                   // claiming a Project claims its Milestones, and so their Tasks
 * public class Milestone {
 *     @ManyToOne Project project;
 * }
 *
 * @Entity
 * @DependsOn(value = "taskId", entity = Task.class)   // a plain id column, no association mapped
 * public class Comment {
 *     Long taskId;
 * }
 * }</pre>
 *
 * <p>The path names to-one associations ({@code ManyToOne}, {@code OneToOne}) of this entity,
 * dot-separated ({@code "milestone.project"} reaches a Project through a Milestone); its last
 * element may instead be a basic attribute holding the id of {@link #entity()}. A bad
 * declaration fails the guard's startup with a message naming the entity and the attribute.
 * Cycles between entity types are allowed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(DependsOn.List.class)
public @interface DependsOn {

    /** The attribute path from this entity to the row it depends on, e.g. {@code "milestone"}. */
    String value();

    /**
     * The entity the path's last attribute refers to by id, when that attribute is a basic
     * attribute rather than an association. Leave unset for associations.
     */
    Class<?> entity() default void.class;

    /** Holds several {@link DependsOn} declarations of one entity. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {
        /** The declarations. */
        DependsOn[] value();
    }
}
