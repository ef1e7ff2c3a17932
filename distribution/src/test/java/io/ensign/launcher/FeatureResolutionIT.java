package io.ensign.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * The assembled distribution's features resolve: every bundle of the runtime and core features, installed as the
 * launcher installs them into the framework it runs on this Java, gets wired, so a feature that lacks a bundle
 * fails the build instead of the server's start. Only what the framework enforces counts (the default,
 * effective:=resolve), not requirements such as a service a reference waits for (effective:=active).
 */
class FeatureResolutionIT {

    @Test
    void everyBundleOfTheFeaturesResolves(@TempDir Path data) throws Exception {
        Path home = Path.of(System.getProperty("ensign.distribution"));
        LaunchOptions options = LaunchOptions.parse(new String[] {"--data", data.toString()}, Map.of());
        Framework framework = EmbeddedFelix.newFramework(FrameworkProperties.of(options, home, false));
        framework.init();
        try {
            List<Bundle> bundles = EmbeddedFelix.install(framework.getBundleContext(), EmbeddedFelix.bundleJars(home, false));
            FrameworkWiring wiring = framework.adapt(FrameworkWiring.class);
            wiring.resolveBundles(bundles);

            List<String> unresolved = bundles.stream()
                    .filter(bundle -> bundle.getState() == Bundle.INSTALLED)
                    .map(bundle -> why(bundle, wiring))
                    .toList();
            assertEquals(List.of(), unresolved, "bundles of the features that do not resolve");
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /** Names the mandatory requirements nothing installed provides, the likely cause of a missing bundle. */
    private static String why(Bundle bundle, FrameworkWiring wiring) {
        String missing = bundle.adapt(BundleRevision.class).getDeclaredRequirements(null).stream()
                .filter(FeatureResolutionIT::enforced)
                .filter(requirement -> wiring.findProviders(requirement).isEmpty())
                .map(requirement -> requirement.getNamespace() + " "
                        + requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE))
                .collect(Collectors.joining("; "));
        return bundle.getSymbolicName() + (missing.isEmpty()
                ? ": every requirement has a provider, but one of them does not resolve (or a uses conflict)"
                : ": nothing provides " + missing);
    }

    private static boolean enforced(Requirement requirement) {
        Map<String, String> directives = requirement.getDirectives();
        return Namespace.EFFECTIVE_RESOLVE.equals(directives.getOrDefault(
                        Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE, Namespace.EFFECTIVE_RESOLVE))
                && Namespace.RESOLUTION_MANDATORY.equals(directives.getOrDefault(
                        Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE, Namespace.RESOLUTION_MANDATORY));
    }
}
