package io.ensign.plugins.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.ensign.api.plugin.InvalidBundleException;
import io.ensign.api.store.Store;
import org.apache.felix.fileinstall.ArtifactTransformer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * What FileInstall may install from the deploy directory. As an artifact transformer ranked above FileInstall's own
 * handling of bundles, it sees every jar of the directory before the framework does, new or changed, and lets
 * through only those the {@link BundleInspection} accepts: a jar that could harm the server is moved to the
 * quarantine instead, one that is no bundle (yet: it may still be being copied) is left alone until it changes.
 * It also keeps the {@link StartMarker} while deploy bundles start ({@link MarkedStarts}), and when it activates (before the deploy
 * directory is watched, see {@link DeployWatch}) quarantines every jar the marker shows was starting when the last
 * run ended: that is the safe start.
 */
@Component(service = ArtifactTransformer.class, configurationPid = PluginBundlesConfig.PID,
        property = Constants.SERVICE_RANKING + ":Integer=1000")
public final class DeployGuard implements ArtifactTransformer {
    private static final System.Logger LOG = System.getLogger(DeployGuard.class.getName());

    private final BundleContext context;
    private final DeployDirectory deploy;
    private final BundleInspection inspection;
    private final Quarantine quarantine;
    private final StartMarker marker;
    private final MarkedStarts starts;

    @Activate
    public DeployGuard(BundleContext context, @Reference(target = Store.SELECTED) Store store, PluginBundlesConfig config) {
        this.context = context;
        this.deploy = DeployDirectory.of(context, config);
        this.inspection = new BundleInspection(new ServerBundles(context, deploy), Set.of(config.allowSystemExit()),
                Set.of(config.allowNativeCode()));
        this.quarantine = new Quarantine(deploy, store);
        this.marker = new StartMarker(deploy.path());
        this.starts = new MarkedStarts(deploy, marker);
        quarantineLeftOvers();
        starts.open(context);
    }

    @Deactivate
    void stop() {
        starts.close(context);
    }

    /**
     * Quarantines what the marker shows starting when the process ended. A file whose bundle is installed now is
     * starting in this very run (this component was only reactivated), so it stays marked instead.
     */
    private void quarantineLeftOvers() {
        List<String> stillStarting = new ArrayList<>();
        for (String name : marker.recorded()) {
            Path jar = deploy.path().resolve(name);
            if (!deploy.holds(jar)) {
                continue;
            }
            if (Arrays.stream(context.getBundles()).anyMatch(b -> jar.equals(deploy.fileOf(b.getLocation())))) {
                stillStarting.add(name);
            } else if (Files.exists(jar)) {
                quarantine.move(jar, "the server's process ended while this bundle was starting (its activator, "
                        + "or a component started with it, ended or hung the process)");
            }
        }
        marker.reset(stillStarting);
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.isFile() && deploy.holds(artifact.toPath());
    }

    /** The jar itself when it may be installed, else null, which tells FileInstall to leave (or uninstall) it. */
    @Override
    public File transform(File artifact, File temporaryDirectory) {
        Path jar = artifact.toPath();
        try {
            inspection.inspect(jar);
            return artifact;
        } catch (UnsafeBundleException e) {
            quarantine.move(jar, e.getMessage());
        } catch (InvalidBundleException e) {
            LOG.log(System.Logger.Level.WARNING, jar + " is not installed: " + e.getMessage());
        }
        return null;
    }
}
