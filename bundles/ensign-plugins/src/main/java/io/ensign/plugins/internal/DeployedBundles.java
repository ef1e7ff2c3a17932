package io.ensign.plugins.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.evaluation.FlagEvaluator;
import io.ensign.api.plugin.BundleInfo;
import io.ensign.api.plugin.InvalidBundleException;
import io.ensign.api.plugin.PluginAdmin;
import io.ensign.api.plugin.PluginBindings;
import io.ensign.api.plugin.PluginInfo;
import io.ensign.api.store.Store;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.bundle.CollisionHook;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The plugin admin. Jars are checked here (the {@link BundleInspection} every jar of the deploy directory gets, then
 * a trial resolution) and then handed to FileInstall by writing them into the deploy directory, which stays the one
 * source of truth: what the API installs survives a restart, and a jar dropped in by hand is the same as one posted.
 * Each call waits, bounded, until FileInstall has acted and reports the bundle's state. Calls run one at a time.
 * Bundles that do not come from the deploy directory (the server's own, the framework) are never touched, and names
 * that are none of a bundle's file there are refused before anything is read or written.
 */
@Component(service = {PluginAdmin.class, CollisionHook.class}, immediate = true,
        configurationPid = PluginBundlesConfig.PID)
@Designate(ocd = PluginBundlesConfig.class)
public final class DeployedBundles implements PluginAdmin, CollisionHook {
    private static final long POLL_MILLIS = 25;
    /** The request parameter naming the bundle to replace or remove. */
    private static final String NAME_PARAMETER = "symbolicName";

    private final BundleContext context;
    private final DeployDirectory deploy;
    private final ServerBundles server;
    private final BundleInspection inspection;
    private final BundleValidation validation;
    private final BundleAudit audit;
    private final StartFailures startFailures = new StartFailures();
    private final long settleTimeoutMillis;
    private final Object changes = new Object();
    /** The acknowledgements of the server's plugin consumers, by the {@code component.id} of the consumer. */
    private final Map<Long, PluginBindings> acknowledgements = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FlagEvaluator evaluator;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServiceComponentRuntime components;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAcknowledgement(PluginBindings bindings, Map<String, Object> properties) {
        if (properties.get(ComponentConstants.COMPONENT_ID) instanceof Long id) {
            acknowledgements.put(id, bindings);
        }
    }

    void unbindAcknowledgement(PluginBindings bindings, Map<String, Object> properties) {
        if (properties.get(ComponentConstants.COMPONENT_ID) instanceof Long id) {
            acknowledgements.remove(id, bindings);
        }
    }

    @Activate
    public DeployedBundles(BundleContext context, @Reference(target = Store.SELECTED) Store store, PluginBundlesConfig config) {
        this.context = context;
        this.deploy = DeployDirectory.of(context, config);
        this.server = new ServerBundles(context, deploy);
        this.inspection = new BundleInspection(server, Set.of(config.allowSystemExit()),
                Set.of(config.allowNativeCode()));
        this.validation = new BundleValidation(context);
        this.audit = new BundleAudit(store, deploy);
        this.settleTimeoutMillis = Math.max(0, config.settleTimeoutMillis());
        context.addBundleListener(audit);
        context.addBundleListener(startFailures);
    }

    @Deactivate
    void stop() {
        context.removeBundleListener(startFailures);
        context.removeBundleListener(audit);
    }

    @Override
    public List<PluginInfo> plugins() {
        return PluginListing.list(context, evaluator);
    }

    @Override
    public List<BundleInfo> bundles() {
        return deployed().map(DeployedBundles::info).sorted(Comparator.comparing(BundleInfo::symbolicName)).toList();
    }

    @Override
    public BundleInfo install(InputStream jar, WriteContext writeContext) {
        synchronized (changes) {
            Path staged = stage(jar);
            try {
                BundleInspection.Candidate candidate = inspection.inspect(staged);
                if (find(candidate.symbolicName()) != null) {
                    throw new InvalidBundleException("bundle " + candidate.symbolicName() + " is installed already; "
                            + "PUT /api/v1/bundles/" + candidate.symbolicName() + " replaces it",
                            Constants.BUNDLE_SYMBOLICNAME);
                }
                validation.requireResolvable(staged, candidate);
                Path target = deploy.fileForNew(candidate.symbolicName());
                deployFile(target, staged, writeContext);
                return awaitActive(target, candidate, Long.MIN_VALUE);
            } finally {
                delete(staged);
            }
        }
    }

    @Override
    public BundleInfo update(String symbolicName, InputStream jar, WriteContext writeContext) {
        synchronized (changes) {
            Bundle existing = require(symbolicName);
            Path staged = stage(jar);
            try {
                BundleInspection.Candidate candidate = inspection.inspect(staged);
                if (!candidate.symbolicName().equals(symbolicName)) {
                    throw new InvalidBundleException("the jar is bundle " + candidate.symbolicName() + ", not "
                            + symbolicName, Constants.BUNDLE_SYMBOLICNAME);
                }
                validation.requireResolvable(staged, candidate);
                Path target = deploy.fileOf(existing.getLocation());
                deployFile(target, staged, writeContext);
                return awaitActive(target, candidate, existing.getLastModified());
            } finally {
                delete(staged);
            }
        }
    }

    @Override
    public void uninstall(String symbolicName, WriteContext writeContext) {
        synchronized (changes) {
            Bundle existing = require(symbolicName);
            Path file = deploy.fileOf(existing.getLocation());
            audit.expect(file, writeContext);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                audit.forget(file);
                throw new UncheckedIOException("could not delete " + file, e);
            }
            await(() -> existing.getState() == Bundle.UNINSTALLED);
        }
    }

    @Override
    public void filterCollisions(int operationType, Bundle target, Collection<Bundle> collisionCandidates) {
        validation.filterCollisions(target, collisionCandidates);
    }

    private java.util.stream.Stream<Bundle> deployed() {
        return Arrays.stream(context.getBundles()).filter(b -> deploy.fileOf(b.getLocation()) != null);
    }

    private Bundle find(String symbolicName) {
        return deployed().filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst().orElse(null);
    }

    /** The deployed bundle of the name a request gave; a name that cannot be one, or is the server's, is refused. */
    private Bundle require(String symbolicName) {
        BundleNames.require(symbolicName, NAME_PARAMETER);
        server.refuse(symbolicName, NAME_PARAMETER);
        Bundle bundle = find(symbolicName);
        if (bundle == null) {
            throw new NotFoundException(BUNDLE, symbolicName);
        }
        return bundle;
    }

    private void deployFile(Path target, Path staged, WriteContext writeContext) {
        audit.expect(target, writeContext);
        try (InputStream in = Files.newInputStream(staged)) {
            deploy.write(target, in);
        } catch (IOException e) {
            audit.forget(target);
            throw new UncheckedIOException("could not write " + target, e);
        }
    }

    /**
     * Waits until FileInstall has installed (or, when {@code modifiedBefore} is a time, updated) the bundle of the
     * file and started it, or its start failed, then describes it; after the timeout it describes what there is.
     */
    private BundleInfo awaitActive(Path file, BundleInspection.Candidate candidate, long modifiedBefore) {
        await(() -> {
            Bundle b = bundleAt(file);
            return b != null && b.getLastModified() != modifiedBefore && (isUp(b) || startFailures.failed(b));
        });
        Bundle bundle = bundleAt(file);
        return bundle == null
                ? new BundleInfo(-1, candidate.symbolicName(), candidate.version(), "pending", file.toUri().toString())
                : info(bundle);
    }

    /**
     * A fragment is up once resolved, a bundle once active; one with DS components once every component that does
     * not wait for a configuration is satisfied and has its service registered, because SCR enables components one
     * by one after the start, and a caller that installs a plugin means to use all of it next: so also once the
     * server's components that take such services have bound them. Without the component runtime at hand, the first
     * registered service has to do.
     */
    private boolean isUp(Bundle bundle) {
        if (bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
            return bundle.getState() == Bundle.RESOLVED;
        }
        if (bundle.getState() != Bundle.ACTIVE || bundle.getHeaders("").get("Service-Component") == null) {
            return bundle.getState() == Bundle.ACTIVE;
        }
        ServiceComponentRuntime runtime = components;
        if (runtime == null) {
            return bundle.getRegisteredServices() != null;
        }
        Collection<ComponentDescriptionDTO> descriptions = runtime.getComponentDescriptionDTOs(bundle);
        // A bundle is ACTIVE before SCR has heard that it started and read its components: none yet means not yet.
        // Descriptions SCR cannot read never show up; the settle timeout ends that wait.
        if (descriptions.isEmpty()) {
            return false;
        }
        for (ComponentDescriptionDTO description : descriptions) {
            // SCR lists a bundle's components before it enables them: one enabled by default is waited for.
            if (!description.defaultEnabled && !runtime.isComponentEnabled(description)
                    || "require".equals(description.configurationPolicy)) {
                continue;
            }
            Collection<ComponentConfigurationDTO> configurations = runtime.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty() || configurations.stream().anyMatch(c ->
                    c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                            || c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION)) {
                return false;
            }
            boolean failed = configurations.stream()
                    .allMatch(c -> c.state == ComponentConfigurationDTO.FAILED_ACTIVATION);
            if (!failed && description.serviceInterfaces.length > 0 && !registered(bundle, description.name)) {
                return false;
            }
        }
        return ConsumerBindings.boundEverywhere(context, runtime, bundle, acknowledgements::get);
    }

    /**
     * Whether the component's service is registered: SCR marks a component satisfied before it registers the
     * service, and the server's own consumers (routes, the plugin registry) bind it only then.
     */
    private static boolean registered(Bundle bundle, String component) {
        ServiceReference<?>[] services = bundle.getRegisteredServices();
        return services != null && Arrays.stream(services)
                .anyMatch(s -> component.equals(s.getProperty(ComponentConstants.COMPONENT_NAME)));
    }

    private Bundle bundleAt(Path file) {
        return deployed().filter(b -> file.equals(deploy.fileOf(b.getLocation()))).findFirst().orElse(null);
    }

    private void await(java.util.function.BooleanSupplier done) {
        long deadline = System.currentTimeMillis() + settleTimeoutMillis;
        while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static BundleInfo info(Bundle bundle) {
        return new BundleInfo(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString(),
                BundleStates.name(bundle.getState()), bundle.getLocation());
    }

    private static Path stage(InputStream jar) {
        Objects.requireNonNull(jar, "jar");
        try {
            Path staged = Files.createTempFile("ensign-bundle-", ".jar");
            Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
            return staged;
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the jar received", e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.getLogger(DeployedBundles.class.getName()).log(System.Logger.Level.WARNING,
                    "could not delete " + file, e);
        }
    }
}
