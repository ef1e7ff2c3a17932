package io.ensign.api.evaluation;

/**
 * How a plugin used by evaluation behaves: failures (it threw), timeouts (it overran the time budget) and
 * whether it is quarantined (its calls fail fast for a while after an overrun).
 *
 * @param plugin      {@code kind/name}, e.g. {@code operator/ip_in_cidr}
 * @param failures    calls that threw, since the server started
 * @param timeouts    calls that overran the budget, since the server started
 * @param quarantined whether calls are being skipped now
 */
public record PluginHealth(String plugin, long failures, long timeouts, boolean quarantined) {
}
