package io.ensign.plugins.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.plugin.InvalidBundleException;
import io.ensign.api.plugin.PluginAdmin;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import org.osgi.framework.Constants;

/**
 * Moves jars that must not run out of the deploy directory into its {@value #DIRECTORY} subdirectory, which nothing
 * watches, with a log line and an audit record saying why. The operator can read the reason there, fix the jar or
 * allow it, and move it back.
 */
final class Quarantine {
    static final String DIRECTORY = "quarantine";
    /** Audit action of a quarantined jar. */
    static final String ACTION = "quarantine";
    private static final System.Logger LOG = System.getLogger(Quarantine.class.getName());

    private final DeployDirectory deploy;
    private final Store store;
    private final ObjectMapper mapper = new ObjectMapper();

    Quarantine(DeployDirectory deploy, Store store) {
        this.deploy = deploy;
        this.store = store;
    }

    /** Moves the jar into the quarantine, logs and audits it. */
    void move(Path jar, String reason) {
        Attributes manifest = manifest(jar);
        String symbolicName = manifest == null || manifest.getValue(Constants.BUNDLE_SYMBOLICNAME) == null ? null
                : BundleInspection.withoutParameters(manifest.getValue(Constants.BUNDLE_SYMBOLICNAME));
        String version = manifest == null ? null : manifest.getValue(Constants.BUNDLE_VERSION);
        String sha256 = BundleAudit.sha256(jar);
        Path target;
        try {
            target = moveAside(jar);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "could not move " + jar + " into " + DIRECTORY + "/, so it stays "
                    + "where it is and is not installed: " + reason, e);
            return;
        }
        String bundle = symbolicName == null ? "" : " (bundle " + BundleNames.quoted(symbolicName) + " "
                + version + ")";
        LOG.log(System.Logger.Level.ERROR, "Quarantined " + jar + bundle + " as " + target + ": " + reason);
        ObjectNode node = mapper.createObjectNode();
        node.put("symbolicName", symbolicName);
        node.put("version", version);
        node.put("location", jar.toUri().toString());
        node.put("quarantinedAs", target.toUri().toString());
        node.put("sha256", sha256);
        node.put("state", "quarantined");
        node.put("reason", reason);
        String key = symbolicName != null && BundleNames.isSymbolicName(symbolicName) ? symbolicName
                : jar.getFileName().toString();
        try {
            store.commit(List.of(new Mutation(PluginAdmin.BUNDLE, key, null, node.toString(), Mutation.ANY_VERSION,
                    ACTION, BundleAudit.DEPLOY_DIRECTORY, reason, null)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "could not audit the quarantine of " + jar, e);
        }
    }

    /** {@code quarantine/<name>}, or with a number added when a jar of that name is there already. */
    private Path moveAside(Path jar) throws IOException {
        Path directory = Files.createDirectories(deploy.path().resolve(DIRECTORY));
        String name = jar.getFileName().toString();
        Path target = directory.resolve(name);
        for (int n = 2; Files.exists(target); n++) {
            target = directory.resolve(name + "." + n);
        }
        return Files.move(jar, target);
    }

    private static Attributes manifest(Path jar) {
        try {
            return BundleInspection.manifest(jar);
        } catch (InvalidBundleException e) {
            return null;
        }
    }
}
