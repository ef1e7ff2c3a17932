/**
 * SPI for stores: the versioned source of truth for every object, with the change log in the same transaction, and
 * the one configuration ({@link io.ensign.api.store.StoreSelection}) that selects the store the server uses.
 */
@Version("1.3.0")
@Export
package io.ensign.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
