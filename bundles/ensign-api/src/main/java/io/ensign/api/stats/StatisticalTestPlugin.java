package io.ensign.api.stats;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares a DS component as a statistical test in one line, beside
 * {@code @Component(service = StatisticalTest.class)}:
 * {@code @StatisticalTestPlugin(name = "welch-t")} sets the service
 * properties the server reads ({@value StatisticalTest#NAME},
 * {@value StatisticalTest#VERSION}).
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface StatisticalTestPlugin {
    /**
     * The {@value StatisticalTest#NAME} property: the test's name as {@code POST /api/v1/stats/{test}} writes
     * it, e.g. {@code welch-t}.
     */
    String name();

    /** The {@value StatisticalTest#VERSION} property, informational. */
    String version() default "1.0.0";
}
