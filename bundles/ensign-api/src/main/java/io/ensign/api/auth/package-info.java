/**
 * Who calls the API: the roles a token can have, the authenticated caller an HTTP route is given, and the
 * authenticator that finds the caller of a token.
 */
@Version("1.2.0")
@Export
package io.ensign.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
