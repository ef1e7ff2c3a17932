package io.ensign.validation.internal;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties every built-in rule registers: its name as violations report it, the plugin
 * version and the object kinds it checks. Written once here so each component states only its own values.
 */
@ComponentPropertyType
@interface ValidationRulePlugin {
    /** The rule's name; becomes the {@code name} service property. */
    String name();

    /** Informational plugin version; becomes the {@code version} service property. */
    String version() default "1.0.0";

    /** The kinds of object the rule checks; becomes the {@code kinds} service property. */
    String[] kinds();
}
