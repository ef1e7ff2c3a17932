package io.ensign.api.assignment;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares a DS component as an assignment strategy in one line, beside
 * {@code @Component(service = AssignmentStrategy.class)}:
 * {@code @AssignmentPlugin(name = "hash")} sets the service
 * properties the server reads ({@value AssignmentStrategy#NAME},
 * {@value AssignmentStrategy#VERSION}).
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AssignmentPlugin {
    /**
     * The {@value AssignmentStrategy#NAME} property: the strategy's name as rollouts write it, e.g. {@code hash}.
     */
    String name();

    /** The {@value AssignmentStrategy#VERSION} property, informational. */
    String version() default "1.0.0";
}
