package io.ensign.api.audit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares a DS component as an audit sink in one line, beside
 * {@code @Component(service = AuditSink.class)}:
 * {@code @AuditSinkPlugin(name = "webhook")} sets the service
 * properties the server reads ({@value AuditSink#NAME},
 * {@value AuditSink#VERSION}, {@value AuditSink#DELIVERY}).
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AuditSinkPlugin {
    /**
     * The {@value AuditSink#NAME} property: the sink's name, which also names its delivery cursor.
     */
    String name();

    /** The {@value AuditSink#VERSION} property, informational. */
    String version() default "1.0.0";

    /** The {@value AuditSink#DELIVERY} property: {@value AuditSink#DELIVERY_CLUSTER} or {@value AuditSink#DELIVERY_NODE}. */
    String delivery() default AuditSink.DELIVERY_CLUSTER;
}
