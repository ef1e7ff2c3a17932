/**
 * The built-in assignment strategy as a plain object, for evaluation outside OSGi.
 */
@Version("1.0.0")
@Export
package io.ensign.assignment;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
