/**
 * What assignment strategies share: MurmurHash3 (x86, 32 bit) encoded exactly as the built-in
 * {@code hash} strategy hashes, and the checks of a rollout's weights, for strategy bundles that
 * reproduce other flag servers' buckets.
 */
@Version("1.0.0")
@Export
package io.ensign.assignment.bucketing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
