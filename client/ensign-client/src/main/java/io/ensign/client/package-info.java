/**
 * The in-process Java client: {@link io.ensign.client.EnsignClient} evaluates flags and reads configuration from a
 * local copy of an environment's state, kept current from the server, and sends experiment events in batches.
 */
@Version("1.0.0")
@Export
package io.ensign.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
