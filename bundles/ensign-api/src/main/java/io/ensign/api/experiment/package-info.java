/**
 * Experiments: their definition and lifecycle, the ingestion of exposure and metric events, their analysis,
 * and the SPI for storing events as per-unit aggregates.
 */
@Version("1.2.0")
@Export
package io.ensign.api.experiment;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
