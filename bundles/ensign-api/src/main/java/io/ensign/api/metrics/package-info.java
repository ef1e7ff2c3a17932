/**
 * Server metrics: the recorder the domain bundles report to ({@link io.ensign.api.metrics.ServerMetrics}) and which
 * a metrics bundle provides. Every bundle holds it through an optional, dynamic reference and reports nothing while
 * no metrics bundle is there, so the server serves the same with or without one, and while one is swapped.
 */
@Version("1.0.0")
@Export
package io.ensign.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
