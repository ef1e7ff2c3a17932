package io.ensign.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.model.ErrorCode;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;

/**
 * Everything evaluation reads, compiled and immutable; replaced as a whole on every change. Evaluation takes no
 * lock and, for a flag whose results were built in advance, allocates nothing; it never throws for a flag's
 * content (a failing plugin is an error result).
 */
public final class Snapshot {
    /** The snapshot before anything was loaded: every evaluation is {@code PROVIDER_NOT_READY}. */
    public static final Snapshot EMPTY = new Snapshot(-1, 0, Map.of(), List.of(), List.of(), Long.MAX_VALUE, null);

    private final long sequence;
    private final long version;
    private final Map<String, CompiledFlag> flags;
    private final List<String> keys;
    private final List<String> missingPlugins;
    private final long nextDeadline;
    private final PluginGuard guard;

    Snapshot(long sequence, long version, Map<String, CompiledFlag> flags, List<String> keys,
             List<String> missingPlugins, long nextDeadline, PluginGuard guard) {
        this.sequence = sequence;
        this.version = version;
        this.flags = flags;
        this.keys = keys;
        this.missingPlugins = missingPlugins;
        this.nextDeadline = nextDeadline;
        this.guard = guard;
    }

    /** The change sequence the state was read at (at least); -1 for {@link #EMPTY}. */
    public long sequence() {
        return sequence;
    }

    /** Grows by one with every snapshot built. */
    public long version() {
        return version;
    }

    /** The flag keys, in order. */
    public List<String> keys() {
        return keys;
    }

    /** Whether a flag of this key exists. */
    public boolean contains(String flagKey) {
        return flags.containsKey(flagKey);
    }

    /** Plugins named by flags or segments but not installed, as {@code kind/name}. */
    public List<String> missingPlugins() {
        return missingPlugins;
    }

    /** When a plugin's grace period or quarantine ends and the snapshot must be built again; MAX_VALUE if never. */
    public long nextDeadline() {
        return nextDeadline;
    }

    /**
     * One flag for one unit in one environment.
     *
     * @param missingKey what a rollout by targeting key makes of a context without one
     */
    public EvaluationResult evaluate(String environment, String flagKey, EvaluationContext context,
                                     MissingTargetingKey missingKey) {
        CompiledFlag flag = flags.get(flagKey);
        if (flag == null) {
            return notFound(flagKey);
        }
        PluginGuard.InFlight slot = guard.slot();
        try {
            return flag.evaluate(environment, context, slot, missingKey);
        } finally {
            guard.settle(slot);
        }
    }

    /** Every flag for one unit, in key order. */
    public List<EvaluationResult> evaluateAll(String environment, EvaluationContext context,
                                              MissingTargetingKey missingKey) {
        List<EvaluationResult> results = new ArrayList<>(keys.size());
        if (keys.isEmpty()) {
            return results;
        }
        PluginGuard.InFlight slot = guard.slot();
        try {
            for (String key : keys) {
                results.add(flags.get(key).evaluate(environment, context, slot, missingKey));
            }
        } finally {
            guard.settle(slot);
        }
        return results;
    }

    private EvaluationResult notFound(String key) {
        if (this == EMPTY) {
            return EvaluationResult.error(key, null, null, ErrorCode.PROVIDER_NOT_READY,
                    "the flags have not been loaded yet", null);
        }
        return EvaluationResult.error(key, null, null, ErrorCode.FLAG_NOT_FOUND,
                "flag '" + key + "' does not exist", null);
    }
}
