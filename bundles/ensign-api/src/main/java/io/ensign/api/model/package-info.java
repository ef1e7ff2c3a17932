/**
 * Ensign's domain model: flags, variants, rules, conditions, segments, environments, evaluation context and results. Plain immutable values.
 */
@Version("1.1.0")
@Export
package io.ensign.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
