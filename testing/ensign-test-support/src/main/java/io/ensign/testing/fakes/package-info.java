/** In-memory stand-ins for the store, the flag catalog, the evaluator and API tokens, for unit tests. */
@Version("1.0.0")
@Export
package io.ensign.testing.fakes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
