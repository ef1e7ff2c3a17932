package io.ensign.api.operator;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares a DS component as an evaluation operator in one line, beside
 * {@code @Component(service = EvaluationOperator.class)}:
 * {@code @OperatorPlugin(name = "ip_in_cidr")} sets the service
 * properties the server reads ({@value EvaluationOperator#NAME},
 * {@value EvaluationOperator#VERSION}).
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface OperatorPlugin {
    /**
     * The {@value EvaluationOperator#NAME} property: the operator's name as conditions write it, e.g.
     * {@code semver_gt}.
     */
    String name();

    /** The {@value EvaluationOperator#VERSION} property, informational. */
    String version() default "1.0.0";
}
