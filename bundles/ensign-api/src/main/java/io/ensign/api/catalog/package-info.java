/**
 * Reading and writing flags, segments and environments through validation, the store and the audit trail.
 */
@Version("1.1.0")
@Export
package io.ensign.api.catalog;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
