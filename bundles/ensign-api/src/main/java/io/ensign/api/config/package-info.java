/**
 * Configuration management: typed JSON values in namespaces, global with per-environment values over them,
 * every version kept, rollback, diff, promotion between environments and secrets encrypted at rest.
 */
@Version("1.1.0")
@Export
package io.ensign.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
