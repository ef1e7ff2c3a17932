/**
 * The audit record, the SPI for audit sinks that receive every committed change at least once, and the
 * services that report on their delivery and verify their trails.
 */
@Version("1.3.0")
@Export
package io.ensign.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
