/**
 * SPI for stores: the versioned source of truth for every object, with the change log in the same transaction, and
 * the filter by which the server's components reference the one selected ({@link io.ensign.api.store.Store#SELECTED}).
 */
@Version("1.4.0")
@Export
package io.ensign.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
