/**
 * Evaluating flags: the service the engine provides to the HTTP layer and to in-process callers.
 */
@Version("1.3.0")
@Export
package io.ensign.api.evaluation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
