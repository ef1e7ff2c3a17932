package io.ensign.plugins.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.audit.AuditSink;
import io.ensign.api.evaluation.FlagEvaluator;
import io.ensign.api.evaluation.PluginHealth;
import io.ensign.api.evaluation.PluginInGrace;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.plugin.PluginAdmin;
import io.ensign.api.plugin.PluginInfo;
import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.store.Store;
import io.ensign.api.validation.ValidationRule;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Every plugin service registered now, of the six SPI kinds, with how evaluation has seen it behave; the plugins
 * evaluation still uses within their grace period; and the plugins flags use that are gone past it.
 */
final class PluginListing {
    /** The SPI interface of each kind, in the order listings show them. */
    private static final List<Map.Entry<String, Class<?>>> KINDS = List.of(
            Map.entry(PluginAdmin.OPERATOR, EvaluationOperator.class),
            Map.entry(PluginAdmin.ASSIGNMENT, AssignmentStrategy.class),
            Map.entry(PluginAdmin.STATISTICAL_TEST, StatisticalTest.class),
            Map.entry(PluginAdmin.VALIDATION_RULE, ValidationRule.class),
            Map.entry(PluginAdmin.AUDIT_SINK, AuditSink.class),
            Map.entry(PluginAdmin.STORE, Store.class));
    private static final String NAME = "name";
    private static final String VERSION = "version";
    private static final String GRACE = "grace";
    private static final String MISSING = "missing";

    private PluginListing() {
    }

    /** @param evaluator the evaluator for health, plugins in grace and missing plugins; null when there is none */
    static List<PluginInfo> list(BundleContext context, FlagEvaluator evaluator) {
        Map<String, PluginHealth> health = new HashMap<>();
        List<PluginInGrace> inGrace = List.of();
        List<String> missing = List.of();
        if (evaluator != null) {
            evaluator.pluginHealth().forEach(h -> health.put(h.plugin(), h));
            inGrace = evaluator.pluginsInGrace();
            missing = evaluator.missingPlugins();
        }
        List<PluginInfo> plugins = new ArrayList<>();
        for (Map.Entry<String, Class<?>> kind : KINDS) {
            for (ServiceReference<?> reference : references(context, kind.getValue())) {
                if (reference.getProperty(NAME) instanceof String name && reference.getBundle() != null) {
                    Object version = reference.getProperty(VERSION);
                    plugins.add(info(kind.getKey(), name, version == null ? null : version.toString(),
                            reference.getBundle().getSymbolicName(), health.get(kind.getKey() + "/" + name), null));
                }
            }
        }
        for (PluginInGrace plugin : inGrace) {
            int slash = plugin.plugin().indexOf('/');
            plugins.add(info(plugin.plugin().substring(0, slash), plugin.plugin().substring(slash + 1),
                    plugin.version(), plugin.bundle(), health.get(plugin.plugin()), GRACE));
        }
        for (String plugin : missing) {
            int slash = plugin.indexOf('/');
            plugins.add(info(plugin.substring(0, slash), plugin.substring(slash + 1), null, null,
                    health.get(plugin), MISSING));
        }
        plugins.sort(Comparator.comparingInt((PluginInfo p) -> kindOrder(p.kind())).thenComparing(PluginInfo::name));
        return plugins;
    }

    /** @param absentState the state of a plugin whose service is gone ({@code grace} or {@code missing}), else null */
    private static PluginInfo info(String kind, String name, String version, String bundle, PluginHealth health,
                                   String absentState) {
        long failures = health == null ? 0 : health.failures();
        long timeouts = health == null ? 0 : health.timeouts();
        String state;
        if (absentState != null) {
            state = absentState;
        } else if (health != null && health.quarantined()) {
            state = "quarantined";
        } else {
            state = failures + timeouts > 0 ? "failing" : "active";
        }
        return new PluginInfo(kind, name, version, bundle, state, failures, timeouts);
    }

    private static int kindOrder(String kind) {
        for (int i = 0; i < KINDS.size(); i++) {
            if (KINDS.get(i).getKey().equals(kind)) {
                return i;
            }
        }
        return KINDS.size();
    }

    private static ServiceReference<?>[] references(BundleContext context, Class<?> type) {
        try {
            ServiceReference<?>[] found = context.getAllServiceReferences(type.getName(), null);
            return found == null ? new ServiceReference<?>[0] : found;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter was given", e);
        }
    }
}
