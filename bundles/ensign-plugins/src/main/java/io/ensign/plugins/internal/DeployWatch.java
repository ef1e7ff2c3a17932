package io.ensign.plugins.internal;

import java.io.IOException;
import java.util.Hashtable;

import org.apache.felix.fileinstall.ArtifactTransformer;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Has FileInstall watch the deploy directory, through a configuration of its watcher factory, while the
 * {@link DeployGuard} is registered and only then: so no jar of the directory is ever installed, or started, before
 * the guard has checked it and the safe start has run. The launcher has FileInstall watch {@code conf/} alone.
 * The first scan runs on the watcher's own thread (no initial scan on the thread that delivers the configuration),
 * so a bundle whose activator never returns holds up that thread only, never the server's start. The configuration
 * lives in the framework's cache, which the launcher wipes at every start, so it never outlives this component
 * into the next run, where it would have the directory watched before the guard is back.
 */
@Component(immediate = true, configurationPid = PluginBundlesConfig.PID,
        reference = @Reference(name = "guard", service = ArtifactTransformer.class,
                target = "(component.name=io.ensign.plugins.internal.DeployGuard)"))
public final class DeployWatch {
    /** FileInstall's managed service factory: one directory watcher per configuration. */
    static final String WATCHER_FACTORY_PID = "org.apache.felix.fileinstall";
    static final String WATCHER_NAME = "ensign-deploy";
    private static final String POLL = "felix.fileinstall.poll";
    private static final String LOG_LEVEL = "felix.fileinstall.log.level";

    private final Configuration watcher;

    @Activate
    public DeployWatch(BundleContext context, @Reference ConfigurationAdmin configurations, PluginBundlesConfig config)
            throws IOException {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("felix.fileinstall.dir", DeployDirectory.of(context, config).path().toString());
        properties.put("felix.fileinstall.filter", ".*\\.jar");
        // The quarantine is a subdirectory; FileInstall would otherwise take subdirectories for exploded bundles.
        properties.put("felix.fileinstall.subdir.mode", "skip");
        properties.put("felix.fileinstall.noInitialDelay", "false");
        properties.put(POLL, context.getProperty(POLL) == null ? "1000" : context.getProperty(POLL));
        if (context.getProperty(LOG_LEVEL) != null) {
            properties.put(LOG_LEVEL, context.getProperty(LOG_LEVEL));
        }
        this.watcher = configurations.getFactoryConfiguration(WATCHER_FACTORY_PID, WATCHER_NAME, "?");
        watcher.update(properties);
    }

    @Deactivate
    void stop() throws IOException {
        watcher.delete();
    }
}
