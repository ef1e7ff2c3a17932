/**
 * SPI for targeting operators used in rule conditions (equals, in, semver_gt, ...).
 */
@Version("1.1.0")
@Export
package io.ensign.api.operator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
