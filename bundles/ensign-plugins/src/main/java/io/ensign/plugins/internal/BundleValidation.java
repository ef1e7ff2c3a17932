package io.ensign.plugins.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.ensign.api.plugin.InvalidBundleException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * Decides, for the API, whether a jar the {@link BundleInspection} accepted can run here: the framework must be
 * able to resolve it against what runs now. Resolution is tried on a copy installed under a
 * temporary location that is never started and is uninstalled again, so the running set stays as it was.
 */
final class BundleValidation {
    /** Location prefix of the trial installs; nothing else installs from it. */
    static final String TRIAL_LOCATION = "ensign-validation:";

    private final BundleContext context;
    private final FrameworkWiring wiring;
    private volatile boolean trialInstall;

    BundleValidation(BundleContext context) {
        this.context = context;
        this.wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    }

    /** Installs the jar on trial, resolves it, and uninstalls it; refuses it with the unresolved requirements. */
    void requireResolvable(Path jar, BundleInspection.Candidate candidate) {
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
