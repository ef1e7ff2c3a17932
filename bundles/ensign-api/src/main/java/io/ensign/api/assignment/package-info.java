/**
 * SPI for assignment strategies that split units between variants of a rollout or an experiment.
 */
@Version("1.2.0")
@Export
package io.ensign.api.assignment;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
