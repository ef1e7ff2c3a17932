package io.ensign.itests.plugins;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.audit.AuditSink;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.validation.ValidationRule;
import org.osgi.framework.BundleActivator;
import org.ops4j.pax.tinybundles.TinyBundle;
import org.ops4j.pax.tinybundles.TinyBundles;

/**
 * Builds plugin bundles with TinyBundles, outside the container (the tests' class path has the classes): a
 * manifest written here and a Declarative Services descriptor per component, so no annotation processing is needed.
 */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * One DS component: implementation class, the SPI it provides, its plugin name, further component properties,
     * and whether DS calls the implementation's {@code activate} method.
     */
    public record Component(Class<?> implementation, Class<?> service, String name, Map<String, String> properties,
                            boolean activates) {
        String descriptor(String version) {
            StringBuilder more = new StringBuilder();
            properties.forEach((key, value) ->
                    more.append("  <property name=\"").append(key).append("\" value=\"").append(value).append("\"/>\n"));
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\""
                    + implementation.getName() + "\" immediate=\"true\"" + (activates ? " activate=\"activate\"" : "")
                    + ">\n"
                    + "  <implementation class=\"" + implementation.getName() + "\"/>\n"
                    + "  <service><provide interface=\"" + service.getName() + "\"/></service>\n"
                    + "  <property name=\"name\" value=\"" + name + "\"/>\n"
                    + "  <property name=\"version\" value=\"" + version + "\"/>\n"
                    + more
                    + "</scr:component>\n";
        }
    }

    /** An operator plugin bundle. */
    public static Component operator(Class<? extends EvaluationOperator> implementation, String name) {
        return new Component(implementation, EvaluationOperator.class, name, Map.of(), false);
    }

    /** An assignment strategy. */
    public static Component strategy(Class<? extends AssignmentStrategy> implementation, String name) {
        return new Component(implementation, AssignmentStrategy.class, name, Map.of(), false);
    }

    /** A statistical test. */
    public static Component statisticalTest(Class<? extends StatisticalTest> implementation, String name) {
        return new Component(implementation, StatisticalTest.class, name, Map.of(), false);
    }

    /** A validation rule of flags refusing descriptions that contain {@code word}. */
    public static Component flagRule(String name, String word) {
        return new Component(DescriptionWordRule.class, ValidationRule.class, name,
                Map.of(ValidationRule.KINDS, "flag", "word", word), true);
    }

    /** An audit sink writing lines labelled {@code label}. */
    public static Component fileSink(String name, String label) {
        return new Component(FileAuditSink.class, AuditSink.class, name, Map.of("label", label), true);
    }

    /** Writes a bundle of the components, importing {@code imports} (package;version), to {@code file}. */
    public static Path write(Path file, String symbolicName, String version, String imports, Component... components) {
        TinyBundle bundle = bundle(symbolicName, version).setHeader("Import-Package", imports);
        StringBuilder header = new StringBuilder();
        for (Component c : components) {
            String descriptor = "OSGI-INF/" + c.implementation().getSimpleName() + ".xml";
            bundle.addClass(c.implementation())
                    .addResource(descriptor, new ByteArrayInputStream(
                            c.descriptor(version).getBytes(StandardCharsets.UTF_8)));
            header.append(header.length() == 0 ? "" : ",").append(descriptor);
        }
        if (components.length > 0) {
            bundle.setHeader("Service-Component", header.toString());
        }
        return build(bundle, file);
    }

    /** Writes bundle 1.0.0 whose only class is its activator to {@code file}. */
    public static Path activator(Path file, String symbolicName, Class<? extends BundleActivator> activator) {
        return build(bundle(symbolicName, "1.0.0")
                .setHeader("Bundle-Activator", activator.getName())
                .setHeader("Import-Package", "org.osgi.framework;version=\"[1.8,2)\"")
                .addClass(activator), file);
    }

    /** Writes bundle 1.0.0 without classes, with further manifest headers (a fragment's Fragment-Host, say). */
    public static Path manifestOnly(Path file, String symbolicName, Map<String, String> headers) {
        TinyBundle bundle = bundle(symbolicName, "1.0.0");
        headers.forEach(bundle::setHeader);
        return build(bundle, file);
    }

    private static TinyBundle bundle(String symbolicName, String version) {
        return TinyBundles.bundle()
                .setHeader("Bundle-ManifestVersion", "2")
                .setHeader("Bundle-SymbolicName", symbolicName)
                .setHeader("Bundle-Version", version);
    }

    private static Path build(TinyBundle bundle, Path file) {
        try (InputStream jar = bundle.build(TinyBundles.rawBuilder())) {
            Files.createDirectories(file.getParent());
            Files.copy(jar, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes version 1.0.0 of a one-component bundle to {@code <prefix>-v1.jar} and version 2.0.0, with another
     * component of the same plugin, to {@code <prefix>-v2.jar} in {@code directory}.
     */
    public static void versions(Path directory, String prefix, String symbolicName, String imports, Component v1,
                                Component v2) {
        write(directory.resolve(prefix + "-v1.jar"), symbolicName, "1.0.0", imports, v1);
        write(directory.resolve(prefix + "-v2.jar"), symbolicName, "2.0.0", imports, v2);
    }

    /** The Import-Package of an operator plugin. */
    public static final String OPERATOR_IMPORTS = "io.ensign.api.operator;version=\"[1.0,2)\"";
    /** The Import-Package of an assignment strategy plugin. */
    public static final String STRATEGY_IMPORTS = "io.ensign.api.assignment;version=\"[1.0,2)\"";
    /** The Import-Package of a statistical test plugin. */
    public static final String STATS_IMPORTS = "io.ensign.api.stats;version=\"[1.0,2)\"";
    /** The Import-Package of a validation rule plugin. */
    public static final String RULE_IMPORTS = "io.ensign.api.validation;version=\"[1.0,2)\"";
    /** The Import-Package of the file audit sink. */
    public static final String SINK_IMPORTS = "io.ensign.api.audit;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.8,2)\"";
}
