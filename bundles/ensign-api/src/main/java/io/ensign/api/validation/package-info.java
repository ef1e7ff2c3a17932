/**
 * SPI for validation rules that every write passes before anything is stored.
 */
@Version("1.1.0")
@Export
package io.ensign.api.validation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
