package io.ensign.engine.internal;

import java.util.List;
import java.util.Map;

/**
 * Everything evaluation reads, compiled and immutable; replaced as a whole on every change.
 *
 * @param sequence       the store's change sequence the state was read at (at least)
 * @param version        grows by one with every snapshot built
 * @param flags          compiled flags by key
 * @param keys           flag keys in order
 * @param missingPlugins plugins named by flags or segments but not installed, as {@code kind/name}
 * @param nextDeadline   when a plugin's grace period ends and the snapshot must be built again
 */
record Snapshot(long sequence, long version, Map<String, CompiledFlag> flags, List<String> keys,
                List<String> missingPlugins, long nextDeadline) {
    static final Snapshot EMPTY = new Snapshot(-1, 0, Map.of(), List.of(), List.of(), Long.MAX_VALUE);
}
