/**
 * Random test inputs that tests comparing Ensign with another implementation share.
 */
@Version("1.0.0")
@Export
package io.ensign.testing.data;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
