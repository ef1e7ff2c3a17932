package io.ensign.itests.plugins;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.ensign.api.operator.EvaluationOperator;
import org.ops4j.pax.tinybundles.TinyBundle;
import org.ops4j.pax.tinybundles.TinyBundles;

/**
 * Builds plugin bundles with TinyBundles, outside the container (the tests' class path has the classes): a
 * manifest written here and a Declarative Services descriptor per component, so no annotation processing is needed.
 */
public final class PluginJars {
    private PluginJars() {
    }

    /** One DS component: implementation class, the SPI it provides, and its plugin name. */
    public record Component(Class<?> implementation, Class<?> service, String name) {
        String descriptor(String version) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\""
                    + implementation.getName() + "\" immediate=\"true\">\n"
                    + "  <implementation class=\"" + implementation.getName() + "\"/>\n"
                    + "  <service><provide interface=\"" + service.getName() + "\"/></service>\n"
                    + "  <property name=\"name\" value=\"" + name + "\"/>\n"
                    + "  <property name=\"version\" value=\"" + version + "\"/>\n"
                    + "</scr:component>\n";
        }
    }

    /** An operator plugin bundle. */
    public static Component operator(Class<? extends EvaluationOperator> implementation, String name) {
        return new Component(implementation, EvaluationOperator.class, name);
    }

    /** Writes a bundle of the components, importing {@code imports} (package;version), to {@code file}. */
    public static Path write(Path file, String symbolicName, String version, String imports, Component... components) {
        TinyBundle bundle = TinyBundles.bundle()
                .setHeader("Bundle-ManifestVersion", "2")
                .setHeader("Bundle-SymbolicName", symbolicName)
                .setHeader("Bundle-Version", version)
                .setHeader("Import-Package", imports);
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
        try (InputStream jar = bundle.build(TinyBundles.rawBuilder())) {
            Files.createDirectories(file.getParent());
            Files.copy(jar, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Import-Package of an operator plugin. */
    public static final String OPERATOR_IMPORTS = "io.ensign.api.operator;version=\"[1.0,2)\"";
}
