package io.ensign.plugins.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.plugin.BundleInfo;
import io.ensign.api.plugin.InvalidBundleException;
import io.ensign.api.plugin.PluginAdmin;
import io.ensign.api.plugin.PluginInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code /api/v1/plugins} and {@code /api/v1/bundles}: the plugins registered, and the plugin bundles of the
 * deploy directory, which admins install, replace and remove by sending jars.
 */
@Component(service = ApiResource.class, configurationPid = PluginsResource.PID)
@Designate(ocd = PluginsResource.Config.class)
public final class PluginsResource implements ApiResource {
    static final String PID = "io.ensign.http.plugins";
    /** Error code of a jar that is no bundle or cannot be resolved. */
    static final String INVALID_BUNDLE = "INVALID_BUNDLE";
    private static final List<String> JAR_TYPES = List.of("application/java-archive", "application/octet-stream");
    private static final String BUNDLE_PATH = "/api/v1/bundles/{symbolicName}";

    /** Limits on uploaded bundles. */
    @ObjectClassDefinition(name = "Ensign HTTP plugin bundles", description = "Limits on bundle uploads")
    public @interface Config {
        @AttributeDefinition(description = "Largest bundle jar accepted, in bytes; larger ones get 413")
        long maxBundleBytes() default 50L * 1024 * 1024;
    }

    private final PluginAdmin admin;
    private final long maxBundleBytes;

    @Activate
    public PluginsResource(@Reference PluginAdmin admin, Config config) {
        this.admin = admin;
        this.maxBundleBytes = config.maxBundleBytes();
    }

    /** The plugins' part of the OpenAPI document, next to this class. */
    @Override
    public URL openApi() {
        return PluginsResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/plugins", Permission.READ, this::listPlugins),
                Route.get("/api/v1/bundles", Permission.READ, this::listBundles),
                Route.post("/api/v1/bundles", Permission.ADMIN, this::install),
                Route.put(BUNDLE_PATH, Permission.ADMIN, this::update),
                Route.delete(BUNDLE_PATH, Permission.ADMIN, this::uninstall));
    }

    private void listPlugins(Call call) throws IOException {
        List<PluginInfo> plugins = admin.plugins();
        call.respond(200, g -> {
            g.writeStartArray();
            for (PluginInfo p : plugins) {
                g.writeStartObject();
                g.writeStringField("kind", p.kind());
                g.writeStringField("name", p.name());
                g.writeStringField("version", p.version());
                g.writeStringField("bundle", p.bundle());
                g.writeStringField("state", p.state());
                g.writeNumberField("failures", p.failures());
                g.writeNumberField("timeouts", p.timeouts());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private void listBundles(Call call) throws IOException {
        List<BundleInfo> bundles = admin.bundles();
        call.respond(200, g -> {
            g.writeStartArray();
            for (BundleInfo b : bundles) {
                write(g, b);
            }
            g.writeEndArray();
        });
    }

    private void install(Call call) throws IOException {
        BundleInfo installed;
        try (InputStream jar = call.binaryBody(maxBundleBytes, JAR_TYPES)) {
            installed = refusedAs422(() -> admin.install(jar, call.writeContext()));
        }
        call.respond(201, g -> write(g, installed));
    }

    private void update(Call call) throws IOException {
        BundleInfo updated;
        try (InputStream jar = call.binaryBody(maxBundleBytes, JAR_TYPES)) {
            updated = refusedAs422(() -> admin.update(call.parameter("symbolicName"), jar, call.writeContext()));
        }
        call.respond(200, g -> write(g, updated));
    }

    private void uninstall(Call call) {
        refusedAs422(() -> {
            admin.uninstall(call.parameter("symbolicName"), call.writeContext());
            return null;
        });
        call.respondEmpty(204);
    }

    /** A refused jar is the caller's to fix: 422 with the reason and the manifest header or parameter at fault. */
    private static <T> T refusedAs422(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (InvalidBundleException e) {
            throw new ApiException(422, INVALID_BUNDLE, e.getMessage(), e.field());
        }
    }

    private static void write(JsonGenerator g, BundleInfo b) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", b.id());
        g.writeStringField("symbolicName", b.symbolicName());
        g.writeStringField("version", b.version());
        g.writeStringField("state", b.state());
        g.writeStringField("location", b.location());
        g.writeEndObject();
    }
}
