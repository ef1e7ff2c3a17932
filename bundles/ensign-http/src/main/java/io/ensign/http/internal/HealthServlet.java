package io.ensign.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.evaluation.FlagEvaluator;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.store.Store;
import io.ensign.api.store.StoreStatus;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Liveness and readiness. It holds every service it reports on through optional dynamic references, so it
 * stays registered (and says what is missing) while any of them is gone. No token needed.
 *
 * <p>Ready means: the store answers, the evaluator has every plugin its flags name, and every DS component of the
 * server's own code (implementation classes under {@code io.ensign.}; plugins are reported by the evaluator) that
 * can be satisfied is: none waits for a service (so every API route is there) or failed to activate. A component
 * that waits for a configuration it requires is no reason to wait, since it may never get one. And every
 * configuration file of {@code conf/} (the directory FileInstall watches, if any) is in force: read into
 * ConfigurationAdmin and handed to every component that takes its PID ({@link ConfReadiness}), so a setting an
 * operator wrote there holds for the first request a ready server gets.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("ensign-health")
@HttpWhiteboardServletPattern("/health/*")
public final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String SERVER_NAMESPACE = "io.ensign.";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = Store.SELECTED)
    transient volatile Store store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile FlagEvaluator evaluator;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile FlagCatalog catalog;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile ServiceComponentRuntime components;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile ConfigurationAdmin configurations;

    /** The configuration files to wait for; null where FileInstall watches no directory (in some tests). */
    transient volatile ConfReadiness conf;

    private final transient Json json = new Json(8, 1024);

    @Activate
    void activate(BundleContext context) {
        String directory = context.getProperty("felix.fileinstall.dir");
        conf = directory == null ? null : new ConfReadiness(directory, context.getProperty("felix.fileinstall.filter"));
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        boolean known = path.equals("/live") || path.equals("/ready");
        if (!known) {
            write(response, 404, g -> {
                g.writeStringField("error", ErrorCodes.NOT_FOUND);
                g.writeStringField("message", "health checks are /health/live and /health/ready");
            });
        } else if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            write(response, 405, g -> {
                g.writeStringField("error", ErrorCodes.METHOD_NOT_ALLOWED);
                g.writeStringField("message", "health checks answer GET only");
            });
        } else if (path.equals("/live")) {
            write(response, 200, g -> g.writeStringField("status", "UP"));
        } else {
            ready(response);
        }
    }

    private void ready(HttpServletResponse response) throws IOException {
        List<String> missing = new ArrayList<>();
        StoreStatus storeStatus = storeStatus(store);
        if (!storeStatus.up()) {
            missing.add("store");
        }
        FlagEvaluator currentEvaluator = evaluator;
        List<String> plugins = List.of();
        if (currentEvaluator == null) {
            missing.add("evaluator");
        } else {
            plugins = currentEvaluator.missingPlugins();
            missing.addAll(plugins);
        }
        if (catalog == null) {
            missing.add("catalog");
        }
        missing.addAll(unsatisfiedComponents(components));
        ConfReadiness currentConf = conf;
        if (currentConf != null) {
            missing.addAll(currentConf.pending(configurations, components));
        }
        List<String> missingPlugins = plugins;
        write(response, missing.isEmpty() ? 200 : 503, g -> {
            g.writeStringField("status", missing.isEmpty() ? "UP" : "DOWN");
            // "store" stays the string it has always been, for scripts that compare it; the reason stands beside it
            g.writeStringField("store", storeStatus.up() ? "UP" : "DOWN");
            if (!storeStatus.up()) {
                g.writeStringField("storeReason", storeStatus.reason());
            }
            g.writeObjectFieldStart("plugins");
            writeStrings(g, "missing", missingPlugins);
            g.writeEndObject();
            if (!missing.isEmpty()) {
                writeStrings(g, "missing", missing);
            }
        });
    }

    /**
     * The server's components that are not satisfied, as "component NAME"; none while no runtime is registered
     * (outside a framework, in unit tests).
     */
    private static List<String> unsatisfiedComponents(ServiceComponentRuntime runtime) {
        if (runtime == null) {
            return List.of();
        }
        List<String> unsatisfied = new ArrayList<>();
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            if (!description.implementationClass.startsWith(SERVER_NAMESPACE)
                    || !runtime.isComponentEnabled(description)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                        || configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    unsatisfied.add("component " + description.name);
                    break;
                }
            }
        }
        return unsatisfied;
    }

    /**
     * What the store says of itself (a full disk, a database away); one that is missing, or registered but closed
     * or broken so that it throws, is down too.
     */
    private static StoreStatus storeStatus(Store current) {
        if (current == null) {
            return StoreStatus.down("no store is registered");
        }
        try {
            StoreStatus status = current.status();
            if (status.up()) {
                current.lastSequence();
            }
            return status;
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            return StoreStatus.down("the store does not answer: " + message);
        }
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }

    private void write(HttpServletResponse response, int status, Call.JsonContent fields) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        try (JsonGenerator g = json.generator(response.getOutputStream())) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        }
    }
}
