/** The HTTP client the tests drive the API with. */
@Version("1.0.0")
@Export
package io.ensign.testing.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
