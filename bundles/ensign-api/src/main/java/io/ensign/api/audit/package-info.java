/**
 * The audit record and the SPI for audit sinks that receive every committed change at least once.
 */
@Version("1.0.0")
@Export
package io.ensign.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
