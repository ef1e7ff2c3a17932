package io.ensign.api.store;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares a DS component as a store (a {@link Store} or an experiment event store) in one line, beside
 * {@code @Component(service = Store.class)}:
 * {@code @StorePlugin(name = "embedded", version = "2.0.0")} sets the service
 * properties the server reads ({@value Store#NAME},
 * {@value Store#VERSION}).
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface StorePlugin {
    /**
     * The {@value Store#NAME} property: the store's name, e.g. {@code embedded}.
     */
    String name();

    /** The {@value Store#VERSION} property, informational. */
    String version() default "1.0.0";
}
