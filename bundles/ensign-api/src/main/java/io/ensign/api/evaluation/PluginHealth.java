package io.ensign.api.evaluation;

/**
 * How a plugin used by evaluation behaves: calls, failures (it threw), timeouts (it overran the time budget),
 * quarantines, swaps and whether it is quarantined (its calls fail fast for a while after an overrun).
 *
 * @param plugin      {@code kind/name}, e.g. {@code operator/ip_in_cidr}
 * @param failures    calls that threw, since the server started
 * @param timeouts    calls that overran the budget, since the server started
 * @param quarantined whether calls are being skipped now
 * @param calls       calls made (including those that failed, timed out or were refused in quarantine)
 * @param quarantines times the plugin was put in quarantine
 * @param swaps       times a service of this name arrived while another was live or in its grace period
 */
public record PluginHealth(String plugin, long failures, long timeouts, boolean quarantined, long calls,
                           long quarantines, long swaps) {
    /** The health as version 1.2 of this package told it, without calls, quarantines and swaps. */
    public PluginHealth(String plugin, long failures, long timeouts, boolean quarantined) {
        this(plugin, failures, timeouts, quarantined, 0, 0, 0);
    }
}
