/**
 * SPI for stores: the versioned source of truth for every object, with the change log in the same transaction.
 */
@Version("1.2.0")
@Export
package io.ensign.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
