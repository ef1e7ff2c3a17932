package io.ensign.plugins.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import io.ensign.api.plugin.InvalidBundleException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * Decides whether a jar may be deployed before the deploy directory ever sees it: it must be an OSGi bundle, and
 * the framework must be able to resolve it against what runs now. Resolution is tried on a copy installed under a
 * temporary location that is never started and is uninstalled again, so the running set stays as it was.
 */
final class BundleValidation {
    /** Location prefix of the trial installs; nothing else installs from it. */
    static final String TRIAL_LOCATION = "ensign-validation:";

    /** What the manifest says about a jar that is a bundle. */
    record Candidate(String symbolicName, String version) {
    }

    private final BundleContext context;
    private final FrameworkWiring wiring;
    private volatile boolean trialInstall;

    BundleValidation(BundleContext context) {
        this.context = context;
        this.wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    }

    /** Reads the manifest; a jar without a valid one is refused with the reason. */
    static Candidate read(Path jar) {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        } catch (IOException e) {
            throw new InvalidBundleException("the body is not a jar: " + e.getMessage());
        }
        if (manifest == null) {
            throw new InvalidBundleException("the jar has no META-INF/MANIFEST.MF, so it is no OSGi bundle");
        }
        Attributes main = manifest.getMainAttributes();
        String symbolicName = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (symbolicName == null || symbolicName.isBlank()) {
            throw new InvalidBundleException("the jar's manifest has no Bundle-SymbolicName, so it is no OSGi bundle");
        }
        if (!"2".equals(main.getValue(Constants.BUNDLE_MANIFESTVERSION))) {
            throw new InvalidBundleException("the jar's manifest must say Bundle-ManifestVersion: 2");
        }
        String version = main.getValue(Constants.BUNDLE_VERSION);
        try {
            version = Version.parseVersion(version).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException("the jar's Bundle-Version is not a version: " + version);
        }
        int directives = symbolicName.indexOf(';');
        return new Candidate((directives < 0 ? symbolicName : symbolicName.substring(0, directives)).strip(), version);
    }

    /** Installs the jar on trial, resolves it, and uninstalls it; refuses it with the unresolved requirements. */
    void requireResolvable(Path jar, Candidate candidate) {
        Bundle trial = installTrial(jar);
        try {
            if (!wiring.resolveBundles(List.of(trial))) {
                throw new InvalidBundleException("the framework cannot resolve " + candidate.symbolicName() + " "
                        + candidate.version() + ": " + unresolved(trial));
            }
        } finally {
            uninstall(trial);
        }
    }

    /**
     * The collision hook's answer: while a trial copy is installed, another bundle with the same symbolic name and
     * version must not stop it (the one it is to replace usually runs).
     */
    void filterCollisions(Bundle target, Collection<Bundle> candidates) {
        if (trialInstall && target.getBundleId() == context.getBundle().getBundleId()) {
            candidates.clear();
        }
    }

    private Bundle installTrial(Path jar) {
        trialInstall = true;
        try (InputStream in = Files.newInputStream(jar)) {
            return context.installBundle(TRIAL_LOCATION + UUID.randomUUID(), in);
        } catch (BundleException e) {
            throw new InvalidBundleException("the framework refuses the bundle: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidBundleException("the jar cannot be read: " + e.getMessage());
        } finally {
            trialInstall = false;
        }
    }

    /** The mandatory requirements nothing running provides, as namespace and filter. */
    private String unresolved(Bundle trial) {
        List<String> missing = new ArrayList<>();
        BundleRevision revision = trial.adapt(BundleRevision.class);
        for (Requirement requirement : revision.getRequirements(null)) {
            boolean optional = Namespace.RESOLUTION_OPTIONAL.equals(
                    requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
            if (!optional && wiring.findProviders(requirement).isEmpty()) {
                missing.add("missing requirement " + requirement.getNamespace() + " "
                        + requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE));
            }
        }
        return missing.isEmpty() ? "its requirements conflict with what is installed (uses constraints)"
                : String.join("; ", missing);
    }

    private void uninstall(Bundle trial) {
        try {
            trial.uninstall();
            // A trial copy that resolved stays in the framework until it is refreshed away.
            wiring.refreshBundles(List.of(trial));
        } catch (BundleException | IllegalStateException e) {
            System.getLogger(BundleValidation.class.getName()).log(System.Logger.Level.WARNING,
                    "could not uninstall the trial copy " + trial.getLocation(), e);
        }
    }
}
