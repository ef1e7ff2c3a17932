package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.store.Store;
import io.ensign.itests.plugins.HangingOperator;
import io.ensign.itests.plugins.MatchAllOperator;
import io.ensign.itests.plugins.MatchNoneOperator;
import io.ensign.itests.plugins.PluginJars;
import io.ensign.itests.plugins.ThrowingOperator;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Plugin bundles replaced, removed and reinstalled through the API while four threads evaluate a flag that uses the
 * plugin over OFREP: no request fails, the new behaviour is served within a second, the old one through the grace
 * period, the default with reason ERROR after it (readiness naming the plugin), and the framework never restarts.
 * Plugins that throw or hang give ERROR results for their flags only.
 */
public class PluginHotSwapIT extends FrameworkServerTest {
    private static final long GRACE_MILLIS = 2_000;
    private static final String SWAP_BUNDLE = "it.swap.operator";

    @Override
    protected Option[] options(Path home) throws Exception {
        Path jars = home.resolve("jars");
        PluginJars.versions(jars, "swap", SWAP_BUNDLE, PluginJars.OPERATOR_IMPORTS,
                PluginJars.operator(MatchAllOperator.class, "it_swap"),
                PluginJars.operator(MatchNoneOperator.class, "it_swap"));
        PluginJars.write(jars.resolve("faulty.jar"), "it.faulty.operators", "1.0.0", PluginJars.OPERATOR_IMPORTS,
                PluginJars.operator(ThrowingOperator.class, "it_throws"),
                PluginJars.operator(HangingOperator.class, "it_hangs"));
        Files.createDirectories(home.resolve("conf"));
        return EnsignConfiguration.fileInstall(home);
    }

    @Before
    public void configureEngine() throws Exception {
        EnsignConfiguration.configure(context, "io.ensign.engine", Map.of("pluginGracePeriodMillis", GRACE_MILLIS,
                "pluginCallBudgetMillis", 300L, "pluginQuarantineMillis", 1_000L));
    }

    private Path jar(String name) {
        return home("jars").resolve(name);
    }

    /** One OFREP evaluation as the load threads saw it. */
    private record Sample(int status, String variant, String reason, String failure) {
    }

    @Test
    public void updateRemoveAndReinstallUnderLoadNeverFailsARequest() throws Exception {
        String uuid = context.getProperty(Constants.FRAMEWORK_UUID);
        long systemStarted = context.getBundle(0).getLastModified();
        assertEquals(201, http.sendJar("POST", "/api/v1/bundles", ADMIN, jar("swap-v1.jar")).statusCode());
        http.expect(201, "PUT", "/api/v1/flags/it-swapped", ADMIN, "{\"type\":\"boolean\",\"variants\":{\"on\":true,"
                + "\"off\":false},\"defaultVariant\":\"off\",\"rules\":[{\"conditions\":[{\"attribute\":\"group\","
                + "\"operator\":\"it_swap\",\"values\":[\"any\"]}],\"variant\":\"on\"}]}");

        BundleSwap.Run<Sample> run = BundleSwap.run(http, SWAP_BUNDLE, jar("swap-v1.jar"), jar("swap-v2.jar"),
                GRACE_MILLIS + 1_000, 4, this::evaluateSwapped, new BundleSwap.Checks() {
                    @Override
                    public void removed() {
                        BundleSwap.assertListedInGrace(http, "operator", "it_swap", "2.0.0", SWAP_BUNDLE);
                    }

                    @Override
                    public void absent() {
                        HttpResponse<String> ready = http.send("GET", "/health/ready", null, null);
                        assertEquals(ready.body(), 503, ready.statusCode());
                        assertTrue(ready.body(), ready.body().contains("operator/it_swap"));
                        assertEquals("missing", BundleSwap.plugin(http, "it_swap").path("state").asText());
                    }
                });

        assertEquals("2.0.0", run.updatedVersion());
        assertTrue("requests made: " + run.samples().size(), run.samples().size() > 100);
        List<Sample> failed = run.results().stream().filter(s -> s.status() != 200).toList();
        assertEquals(List.of(), run.failures());
        assertTrue(failed.size() + " not 200, e.g. " + failed.stream().limit(3).toList(), failed.isEmpty());
        Predicate<Sample> v1 = s -> "on".equals(s.variant()) && "TARGETING_MATCH".equals(s.reason());
        Predicate<Sample> v2 = s -> "off".equals(s.variant()) && "DEFAULT".equals(s.reason());
        // Past the grace period the flag's own default is served with reason ERROR (and its error code).
        Predicate<Sample> fallback = s -> "off".equals(s.variant()) && "ERROR".equals(s.reason());
        assertEquals(List.of(), run.unexpected(0, run.update().sent(), v1));
        assertEquals("v2 from a second after the update", List.of(),
                run.unexpected(run.update().done() + 1_000, run.removal().sent(), v2));
        assertEquals("v2 through the grace period", List.of(),
                run.unexpected(run.removal().sent(), run.removal().done() + GRACE_MILLIS - 300, v2));
        assertEquals("the default with ERROR past the grace period", List.of(),
                run.unexpected(run.removal().done() + GRACE_MILLIS + 500, run.reinstall().sent(), fallback));
        assertEquals("v1 again a second after reinstalling", List.of(),
                run.unexpected(run.reinstall().done() + 1_000, Long.MAX_VALUE, v1));
        assertEquals(200, http.send("GET", "/health/ready", null, null).statusCode());

        assertEquals(uuid, context.getProperty(Constants.FRAMEWORK_UUID));
        assertEquals(systemStarted, context.getBundle(0).getLastModified());
        assertEquals(List.of("install by api", "update by api", "uninstall by api", "install by api"),
                bundleAudit(context, SWAP_BUNDLE));
    }

    @Test
    public void pluginsThatThrowOrHangGiveErrorsForTheirFlagsOnly() throws Exception {
        assertEquals(201, http.sendJar("POST", "/api/v1/bundles", ADMIN, jar("faulty.jar")).statusCode());
        for (String operator : List.of("it_throws", "it_hangs", "equals")) {
            http.expect(201, "PUT", "/api/v1/flags/it-uses-" + operator, ADMIN, "{\"type\":\"boolean\",\"variants\":"
                    + "{\"on\":true,\"off\":false},\"defaultVariant\":\"off\",\"rules\":[{\"conditions\":[{\"attribute\":"
                    + "\"group\",\"operator\":\"" + operator + "\",\"values\":[\"beta\"]}],\"variant\":\"on\"}]}");
        }
        long started = System.currentTimeMillis();
        assertTrue(failure("it-uses-it_throws").contains("always fails"));
        assertTrue(failure("it-uses-it_hangs").contains("time budget"));
        assertTrue("the hang is cut short", System.currentTimeMillis() - started < 3_000);
        JsonNode healthy = evaluate("it-uses-equals");
        assertEquals("TARGETING_MATCH", healthy.path("reason").asText());
        assertEquals(true, healthy.path("value").asBoolean());

        String plugins = http.expect(200, "GET", "/api/v1/plugins", ADMIN, null).toString();
        assertTrue(plugins, plugins.contains("\"name\":\"it_throws\",\"version\":\"1.0.0\",\"bundle\":\"it.faulty.operators\""));
        JsonNode hangs = BundleSwap.plugin(http, "it_hangs");
        assertTrue(hangs.toString(), hangs.path("timeouts").asLong() >= 1);
        assertTrue(hangs.toString(), List.of("quarantined", "failing").contains(hangs.path("state").asText()));
        assertEquals(200, http.send("GET", "/health/live", null, null).statusCode());
    }

    private JsonNode evaluate(String flag) {
        return http.expect(200, "POST", "/ofrep/v1/evaluate/flags/" + flag, ADMIN,
                "{\"context\":{\"targetingKey\":\"u1\",\"group\":\"beta\"}}");
    }

    /** The errorDetails of an evaluation that must end in ERROR: the flag's default, reason ERROR, code GENERAL. */
    private String failure(String flag) {
        JsonNode body = http.expect(200, "POST", "/ofrep/v1/evaluate/flags/" + flag, ADMIN,
                "{\"context\":{\"targetingKey\":\"u1\",\"group\":\"beta\"}}");
        assertEquals(body.toString(), "ERROR", OfrepAnswers.ensignReason(body));
        assertEquals(body.toString(), false, body.path("value").asBoolean(true));
        assertEquals(body.toString(), "GENERAL", OfrepAnswers.errorCode(body));
        return OfrepAnswers.errorDetails(body);
    }

    /** The audited changes of a bundle, as "action by api" or "action by deploy-directory". */
    static List<String> bundleAudit(BundleContext context, String symbolicName) {
        Store store = context.getService(context.getServiceReference(Store.class));
        return store.changes(0, 100_000).stream()
                .filter(r -> r.kind().equals("bundle") && r.key().equals(symbolicName))
                .map(r -> r.action() + " by " + (r.actor().equals("deploy-directory") ? r.actor() : "api"))
                .toList();
    }

    private Sample evaluateSwapped(int n) {
        HttpResponse<String> r = BundleSwap.readOnly(() -> http.send(http.request("POST",
                "/ofrep/v1/evaluate/flags/it-swapped", ADMIN, "{\"context\":{\"targetingKey\":\"u" + n
                        + "\",\"group\":\"a\"}}")));
        JsonNode body = http.json(r);
        return new Sample(r.statusCode(), body.path("variant").asText(null), OfrepAnswers.ensignReason(body),
                r.statusCode() == 200 ? null : r.body());
    }
}
