package io.ensign.plugins.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.plugin.BundleInfo;
import io.ensign.api.plugin.InvalidBundleException;
import io.ensign.api.plugin.PluginAdmin;
import io.ensign.api.plugin.PluginInfo;

/**
 * A plugin admin for servlet tests: a "jar" is any body starting with {@code PK} followed by its symbolic name up
 * to the first newline; anything else is refused as the real one refuses a non-bundle.
 */
public final class InMemoryPluginAdmin implements PluginAdmin {
    private final Map<String, BundleInfo> bundles = new TreeMap<>();
    /** Who made the last change. */
    public volatile String lastActor;

    @Override
    public List<PluginInfo> plugins() {
        return List.of(new PluginInfo(OPERATOR, "equals", "1.0.0", "ensign-operators", "active", 0, 0),
                new PluginInfo(OPERATOR, "ip_in_cidr", null, null, "missing", 0, 0));
    }

    @Override
    public synchronized List<BundleInfo> bundles() {
        return new ArrayList<>(bundles.values());
    }

    @Override
    public synchronized BundleInfo install(InputStream jar, WriteContext context) {
        String name = symbolicName(jar);
        if (bundles.containsKey(name)) {
            throw new InvalidBundleException("bundle " + name + " is installed already");
        }
        return put(name, context);
    }

    @Override
    public synchronized BundleInfo update(String symbolicName, InputStream jar, WriteContext context) {
        if (!bundles.containsKey(symbolicName)) {
            throw new NotFoundException(BUNDLE, symbolicName);
        }
        return put(symbolicName(jar), context);
    }

    @Override
    public synchronized void uninstall(String symbolicName, WriteContext context) {
        if (bundles.remove(symbolicName) == null) {
            throw new NotFoundException(BUNDLE, symbolicName);
        }
        lastActor = context.actor();
    }

    private BundleInfo put(String name, WriteContext context) {
        BundleInfo info = new BundleInfo(bundles.size() + 100, name, "1.0.0", "active", "file:/deploy/" + name + ".jar");
        bundles.put(name, info);
        lastActor = context.actor();
        return info;
    }

    private static String symbolicName(InputStream jar) {
        try {
            String body = new String(jar.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!body.startsWith("PK")) {
                throw new InvalidBundleException("the body is not a jar: zip END header not found");
            }
            int end = body.indexOf('\n');
            return body.substring(2, end < 0 ? body.length() : end);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
