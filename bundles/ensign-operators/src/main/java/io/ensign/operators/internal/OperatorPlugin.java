package io.ensign.operators.internal;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties every built-in operator registers: its name as conditions write it and the
 * plugin version. Written once here so each component states only its name.
 */
@ComponentPropertyType
@interface OperatorPlugin {
    /** The operator's name, e.g. {@code semver_gt}; becomes the {@code name} service property. */
    String name();

    /** Informational plugin version; becomes the {@code version} service property. */
    String version() default "1.0.0";
}
