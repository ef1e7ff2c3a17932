package io.ensign.api.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares a DS component as a validation rule in one line, beside
 * {@code @Component(service = ValidationRule.class)}:
 * {@code @ValidationRulePlugin(name = "max-rules", kinds = "flag")} sets the service
 * properties the server reads ({@value ValidationRule#NAME},
 * {@value ValidationRule#VERSION}, {@value ValidationRule#KINDS}).
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ValidationRulePlugin {
    /**
     * The {@value ValidationRule#NAME} property: the rule's name as violations report it.
     */
    String name();

    /** The {@value ValidationRule#VERSION} property, informational. */
    String version() default "1.0.0";

    /** The {@value ValidationRule#KINDS} property: the kinds of object the rule checks, e.g. {@code flag}. */
    String[] kinds();
}
