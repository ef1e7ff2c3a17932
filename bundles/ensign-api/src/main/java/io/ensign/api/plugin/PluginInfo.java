package io.ensign.api.plugin;

/**
 * One registered plugin service.
 *
 * @param kind     {@code operator}, {@code assignment}, {@code statistical-test}, {@code validation-rule},
 *                 {@code audit-sink} or {@code store}
 * @param name     the plugin's {@code name} service property
 * @param version  its {@code version} service property, null when it has none
 * @param bundle   the symbolic name of the bundle that registered it, null for a plugin that is missing (or in
 *                 grace, from a bundle not known)
 * @param state    {@code active}; {@code failing} when evaluation saw it throw or overrun its budget;
 *                 {@code quarantined} while its calls are skipped after an overrun; {@code grace} when its service
 *                 has left but evaluation still uses it within its grace period; {@code missing} when a flag uses
 *                 it but it is gone past its grace period
 * @param failures calls that threw, as evaluation counted them
 * @param timeouts calls that overran the time budget
 */
public record PluginInfo(String kind, String name, String version, String bundle, String state, long failures,
                         long timeouts) {
}
