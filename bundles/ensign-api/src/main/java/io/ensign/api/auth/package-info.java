/**
 * Who calls the API: the roles a token can have and the authenticated caller an HTTP route is given.
 */
@Version("1.0.0")
@Export
package io.ensign.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
