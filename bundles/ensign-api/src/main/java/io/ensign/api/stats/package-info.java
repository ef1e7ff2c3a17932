/**
 * SPI for statistical tests used by experiment analysis and the statistics calculator.
 */
@Version("1.1.0")
@Export
package io.ensign.api.stats;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
