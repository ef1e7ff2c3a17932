/**
 * The built-in operators as plain objects, for evaluation outside OSGi.
 */
@Version("1.0.0")
@Export
package io.ensign.operators;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
