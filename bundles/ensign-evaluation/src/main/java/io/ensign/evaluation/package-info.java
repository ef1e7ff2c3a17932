/**
 * The evaluation core: {@link io.ensign.evaluation.SnapshotCompiler} turns flags, segments and running experiments
 * into an immutable {@link io.ensign.evaluation.Snapshot} that evaluates lock-free, with the operators and
 * assignment strategies a {@link io.ensign.evaluation.PluginRegistry} resolves by name, bounded by a
 * {@link io.ensign.evaluation.PluginGuard}. The server's engine fills the registries from OSGi services; a client
 * fills them programmatically. Nothing here needs an OSGi framework, a store or a servlet container at run time.
 */
@Version("1.0.0")
@Export
package io.ensign.evaluation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
