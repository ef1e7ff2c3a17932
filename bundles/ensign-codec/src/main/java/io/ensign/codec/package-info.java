/**
 * The JSON form of Ensign's model, shared by the engine (stored documents) and the HTTP layer (requests
 * and responses) so that both read and write exactly one format. A library package: no services.
 */
@Version("1.2.0")
@Export
package io.ensign.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
