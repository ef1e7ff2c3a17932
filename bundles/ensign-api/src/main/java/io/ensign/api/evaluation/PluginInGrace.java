package io.ensign.api.evaluation;

/**
 * A plugin whose service has left but that evaluation still uses, because its grace period has not ended and no
 * replacement of the same name has arrived.
 *
 * @param plugin  {@code kind/name}, e.g. {@code operator/ip_in_cidr}
 * @param version its {@code version} service property, null when it had none
 * @param bundle  the symbolic name of the bundle it came from, null when not known
 */
public record PluginInGrace(String plugin, String version, String bundle) {
}
