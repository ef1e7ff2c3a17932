/**
 * Plugins and the bundles that carry them: listing what is registered, and installing, replacing and removing
 * plugin bundles while the server runs.
 */
@Version("1.2.0")
@Export
package io.ensign.api.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
