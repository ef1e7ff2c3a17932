package io.ensign.plugins.internal;

import java.util.Arrays;
import java.util.function.LongFunction;

import io.ensign.api.plugin.PluginBindings;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;

/**
 * Whether the components that take every service of an interface (the engine's operators, the experiments' tests,
 * the audit sinks) have bound a bundle's services. A service is visible as registered before the framework has told
 * its listeners, so an install answered at registration could be followed by a write that finds the plugin missing.
 * The component runtime in turn lists a service as bound before the consumer's bind method has run, so a consumer
 * that offers {@link PluginBindings} is also asked whether its bind method has returned.
 */
final class ConsumerBindings {
    private ConsumerBindings() {
    }

    /**
     * Whether every active component with a multiple reference a service of {@code bundle} fits has bound it.
     *
     * @param acknowledgements the {@link PluginBindings} of a component configuration by its id, null for one that
     *                         offers none
     */
    static boolean boundEverywhere(BundleContext context, ServiceComponentRuntime runtime, Bundle bundle,
                                   LongFunction<PluginBindings> acknowledgements) {
        ServiceReference<?>[] services = bundle.getRegisteredServices();
        if (services == null) {
            return true;
        }
        for (ComponentDescriptionDTO consumer : runtime.getComponentDescriptionDTOs()) {
            Bundle consumerBundle = context.getBundle(consumer.bundle.id);
            if (consumerBundle == null || consumerBundle.getBundleId() == bundle.getBundleId()) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(consumer)) {
                if (configuration.state == ComponentConfigurationDTO.ACTIVE
                        && !boundAll(consumer, configuration, consumerBundle, services,
                        acknowledgements.apply(configuration.id))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean boundAll(ComponentDescriptionDTO consumer, ComponentConfigurationDTO configuration,
                                    Bundle consumerBundle, ServiceReference<?>[] services,
                                    PluginBindings acknowledgement) {
        for (SatisfiedReferenceDTO satisfied : configuration.satisfiedReferences) {
            ReferenceDTO declared = Arrays.stream(consumer.references).filter(r -> r.name.equals(satisfied.name))
                    .findFirst().orElse(null);
            // A static reluctant reference never takes a service that comes later: waiting for it would be in vain.
            if (declared == null || !declared.cardinality.endsWith("..n")
                    || "static".equals(declared.policy) && "reluctant".equals(declared.policyOption)) {
                continue;
            }
            for (ServiceReference<?> service : services) {
                long id = serviceId(service);
                if (fits(service, declared.interfaceName, satisfied.target, consumerBundle)
                        && (Arrays.stream(satisfied.boundServices).noneMatch(b -> b.id == id)
                        || acknowledgement != null && !acknowledgement.hasBound(id))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether the consumer would bind the service: it offers the interface, from the consumer's class space, and
     * matches the reference's target.
     */
    private static boolean fits(ServiceReference<?> service, String interfaceName, String target, Bundle consumer) {
        Object classes = service.getProperty(Constants.OBJECTCLASS);
        if (!(classes instanceof String[] names) || !Arrays.asList(names).contains(interfaceName)
                || !service.isAssignableTo(consumer, interfaceName)) {
            return false;
        }
        try {
            return target == null || FrameworkUtil.createFilter(target).match(service);
        } catch (InvalidSyntaxException e) {
            return false;
        }
    }

    private static long serviceId(ServiceReference<?> service) {
        return (Long) service.getProperty(Constants.SERVICE_ID);
    }
}
