package io.ensign.plugins.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.plugin.PluginAdmin;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

/**
 * Records every install, update and removal of a bundle of the deploy directory in the store, and so in the audit
 * trail, whoever made it: a change the API made carries the API caller as actor, one made by hand in the
 * directory the actor {@value #DEPLOY_DIRECTORY}. A bundle reinstalled unchanged (the framework starts from an
 * empty cache every time) is not recorded again.
 */
final class BundleAudit implements BundleListener {
    /** Actor of changes nobody made through the API. */
    static final String DEPLOY_DIRECTORY = "deploy-directory";
    static final String INSTALL = "install";
    static final String UPDATE = "update";
    static final String UNINSTALL = "uninstall";

    private static final System.Logger LOG = System.getLogger(BundleAudit.class.getName());

    private final Store store;
    private final DeployDirectory deploy;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Path, WriteContext> expected = new ConcurrentHashMap<>();

    BundleAudit(Store store, DeployDirectory deploy) {
        this.store = store;
        this.deploy = deploy;
    }

    /** The next change of the bundle in this file is the API caller's. */
    void expect(Path file, WriteContext context) {
        expected.put(file, context);
    }

    /** The change expected did not happen (the file could not be written). */
    void forget(Path file) {
        expected.remove(file);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        String action = action(event.getType());
        Bundle bundle = event.getBundle();
        Path file = deploy.fileOf(bundle.getLocation());
        if (action == null || file == null) {
            return;
        }
        String sha256 = action.equals(UNINSTALL) ? null : sha256(file);
        String json = describe(bundle, action, sha256);
        if (action.equals(INSTALL) && unchanged(bundle.getSymbolicName(), json)) {
            return;
        }
        WriteContext context = expected.remove(file);
        String actor = context == null ? DEPLOY_DIRECTORY : context.actor();
        try {
            store.commit(List.of(new Mutation(PluginAdmin.BUNDLE, bundle.getSymbolicName(), null, json,
                    Mutation.ANY_VERSION, action, actor, context == null ? null : context.reason(),
                    context == null ? null : context.requestId())));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "could not audit the " + action + " of bundle "
                    + bundle.getSymbolicName(), e);
        }
    }

    private static String action(int eventType) {
        switch (eventType) {
            case BundleEvent.INSTALLED: return INSTALL;
            case BundleEvent.UPDATED: return UPDATE;
            case BundleEvent.UNINSTALLED: return UNINSTALL;
            default: return null;
        }
    }

    private String describe(Bundle bundle, String action, String sha256) {
        ObjectNode node = mapper.createObjectNode();
        node.put("symbolicName", bundle.getSymbolicName());
        node.put("version", bundle.getVersion().toString());
        node.put("location", bundle.getLocation());
        if (sha256 != null) {
            node.put("sha256", sha256);
        }
        node.put("state", action.equals(UNINSTALL) ? "uninstalled" : BundleStates.name(bundle.getState()));
        return node.toString();
    }

    /** Whether the store already has this very jar as installed (state aside: it is always fresh on install). */
    private boolean unchanged(String symbolicName, String json) {
        Optional<Document> stored = store.get(PluginAdmin.BUNDLE, symbolicName);
        if (stored.isEmpty() || stored.get().json() == null) {
            return false;
        }
        try {
            ObjectNode before = (ObjectNode) mapper.readTree(stored.get().json());
            ObjectNode now = (ObjectNode) mapper.readTree(json);
            String state = before.path("state").asText();
            return !"uninstalled".equals(state) && !"quarantined".equals(state)
                    && before.path("version").equals(now.path("version"))
                    && before.path("sha256").equals(now.path("sha256"));
        } catch (IOException | ClassCastException e) {
            return false;
        }
    }

    /** The jar's SHA-256 in hex, or null when the file is gone already. */
    static String sha256(Path file) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not read " + file, e);
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
