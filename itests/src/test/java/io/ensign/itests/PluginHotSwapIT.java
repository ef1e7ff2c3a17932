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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Plugin bundles replaced, removed and reinstalled through the API while four threads evaluate a flag that uses the
 * plugin over OFREP: no request fails, the new behaviour is served within a second, the old one through the grace
 * period, the default with reason ERROR after it (readiness naming the plugin), and the framework never restarts.
 * Plugins that throw or hang give ERROR results for their flags only.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginHotSwapIT {
    private static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;
    private static final String JARS = "ensign.it.jars";
    private static final long GRACE_MILLIS = 2_000;
    private static final String SWAP_BUNDLE = "it.swap.operator";

    @Inject
    private BundleContext context;
    private HttpDriver http;

    @Configuration
    public Option[] configuration() throws Exception {
        Path home = Files.createTempDirectory("ensign-hotswap-it");
        Path jars = home.resolve("jars");
        PluginJars.write(jars.resolve("swap-v1.jar"), SWAP_BUNDLE, "1.0.0", PluginJars.OPERATOR_IMPORTS,
                PluginJars.operator(MatchAllOperator.class, "it_swap"));
        PluginJars.write(jars.resolve("swap-v2.jar"), SWAP_BUNDLE, "2.0.0", PluginJars.OPERATOR_IMPORTS,
                PluginJars.operator(MatchNoneOperator.class, "it_swap"));
        PluginJars.write(jars.resolve("faulty.jar"), "it.faulty.operators", "1.0.0", PluginJars.OPERATOR_IMPORTS,
                PluginJars.operator(ThrowingOperator.class, "it_throws"),
                PluginJars.operator(HangingOperator.class, "it_hangs"));
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/io.ensign.engine.cfg"), "pluginGracePeriodMillis=" + GRACE_MILLIS
                + "\npluginCallBudgetMillis=300\npluginQuarantineMillis=1000\n");
        return OptionUtils.combine(
                OptionUtils.combine(EnsignConfiguration.options(EnsignConfiguration.freePort(), home.resolve("data")),
                        EnsignConfiguration.fileInstall(home)),
                CoreOptions.frameworkProperty(JARS).value(jars.toString()));
    }

    @Before
    public void connect() throws InterruptedException {
        http = new HttpDriver(context).awaitReady();
    }

    private Path jar(String name) {
        return Path.of(context.getProperty(JARS), name);
    }

    private HttpResponse<String> sendJar(String method, String path, Path jar) throws Exception {
        return http.send(http.request(method, path, ADMIN, null)
                .method(method, HttpRequest.BodyPublishers.ofFile(jar))
                .header("Content-Type", "application/java-archive"));
    }

    /** One OFREP evaluation as the load threads saw it. */
    private record Sample(long at, int status, String variant, String reason, String failure) {
    }

    @Test
    public void updateRemoveAndReinstallUnderLoadNeverFailsARequest() throws Exception {
        String uuid = context.getProperty(Constants.FRAMEWORK_UUID);
        long systemStarted = context.getBundle(0).getLastModified();
        assertEquals(201, sendJar("POST", "/api/v1/bundles", jar("swap-v1.jar")).statusCode());
        http.expect(201, "PUT", "/api/v1/flags/it-swapped", ADMIN, "{\"type\":\"boolean\",\"variants\":{\"on\":true,"
                + "\"off\":false},\"defaultVariant\":\"off\",\"rules\":[{\"conditions\":[{\"attribute\":\"group\","
                + "\"operator\":\"it_swap\",\"values\":[\"any\"]}],\"variant\":\"on\"}]}");

        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> load = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> evaluateUntilStopped(running, samples), "it-load-" + i);
            t.start();
            load.add(t);
        }
        Thread.sleep(500);

        HttpResponse<String> updated = sendJar("PUT", "/api/v1/bundles/" + SWAP_BUNDLE, jar("swap-v2.jar"));
        long updatedAt = System.currentTimeMillis();
        assertEquals(updated.body(), 200, updated.statusCode());
        assertEquals("2.0.0", http.json(updated).path("version").asText());
        Thread.sleep(1_500);

        assertEquals(204, http.send("DELETE", "/api/v1/bundles/" + SWAP_BUNDLE, ADMIN, null).statusCode());
        long removedAt = System.currentTimeMillis();
        Thread.sleep(GRACE_MILLIS + 1_000);
        HttpResponse<String> ready = http.send("GET", "/health/ready", null, null);
        assertEquals(ready.body(), 503, ready.statusCode());
        assertTrue(ready.body(), ready.body().contains("operator/it_swap"));

        assertEquals(201, sendJar("POST", "/api/v1/bundles", jar("swap-v1.jar")).statusCode());
        long reinstalledAt = System.currentTimeMillis();
        Thread.sleep(1_500);
        running.set(false);
        for (Thread t : load) {
            t.join();
        }

        List<Sample> all = new ArrayList<>(samples);
        assertTrue("requests made: " + all.size(), all.size() > 100);
        List<Sample> failed = filter(all, s -> s.status() != 200);
        assertTrue(failed.size() + " failed or not 200, e.g. " + failed.stream().limit(3).toList(), failed.isEmpty());
        Predicate<Sample> v1 = s -> "on".equals(s.variant()) && "TARGETING_MATCH".equals(s.reason());
        Predicate<Sample> v2 = s -> "off".equals(s.variant()) && "DEFAULT".equals(s.reason());
        // Past the grace period the flag's own default is served with reason ERROR (and its error code).
        Predicate<Sample> fallback = s -> s.status() == 200 && "off".equals(s.variant()) && "ERROR".equals(s.reason());
        assertTrue(filter(all, s -> s.at() < updatedAt - 600).stream().allMatch(v1));
        assertEquals("v2 from a second after the update", List.of(),
                filter(between(all, updatedAt + 1_000, removedAt), v2.negate()));
        assertEquals("v2 through the grace period", List.of(),
                filter(between(all, removedAt, removedAt + GRACE_MILLIS - 300), v2.negate()));
        assertEquals("the default with ERROR past the grace period", List.of(),
                filter(between(all, removedAt + GRACE_MILLIS + 500, reinstalledAt - 200), fallback.negate()));
        assertEquals("v1 again a second after reinstalling", List.of(),
                filter(between(all, reinstalledAt + 1_000, Long.MAX_VALUE), v1.negate()));
        assertEquals(200, http.send("GET", "/health/ready", null, null).statusCode());

        assertEquals(uuid, context.getProperty(Constants.FRAMEWORK_UUID));
        assertEquals(systemStarted, context.getBundle(0).getLastModified());
        assertEquals(List.of("install by api", "update by api", "uninstall by api", "install by api"),
                bundleAudit(context, SWAP_BUNDLE));
    }

    @Test
    public void pluginsThatThrowOrHangGiveErrorsForTheirFlagsOnly() throws Exception {
        assertEquals(201, sendJar("POST", "/api/v1/bundles", jar("faulty.jar")).statusCode());
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
        JsonNode hangs = find(http.expect(200, "GET", "/api/v1/plugins", ADMIN, null), "it_hangs");
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
        assertEquals(body.toString(), "ERROR", body.path("reason").asText());
        assertEquals(body.toString(), false, body.path("value").asBoolean(true));
        assertEquals(body.toString(), "GENERAL", body.path("errorCode").asText());
        return body.path("errorDetails").asText();
    }

    private static JsonNode find(JsonNode plugins, String name) {
        for (JsonNode p : plugins) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        throw new AssertionError("no plugin " + name + " in " + plugins);
    }

    /** The audited changes of a bundle, as "action by api" or "action by deploy-directory". */
    static List<String> bundleAudit(BundleContext context, String symbolicName) {
        Store store = context.getService(context.getServiceReference(Store.class));
        return store.changes(0, 100_000).stream()
                .filter(r -> r.kind().equals("bundle") && r.key().equals(symbolicName))
                .map(r -> r.action() + " by " + (r.actor().equals("deploy-directory") ? r.actor() : "api"))
                .toList();
    }

    private void evaluateUntilStopped(AtomicBoolean running, ConcurrentLinkedQueue<Sample> samples) {
        int n = 0;
        while (running.get()) {
            long at = System.currentTimeMillis();
            try {
                HttpResponse<String> r = http.send(http.request("POST", "/ofrep/v1/evaluate/flags/it-swapped", ADMIN,
                        "{\"context\":{\"targetingKey\":\"u" + (n++) + "\",\"group\":\"a\"}}"));
                JsonNode body = http.json(r);
                samples.add(new Sample(at, r.statusCode(), body.path("variant").asText(null),
                        body.path("reason").asText(null), r.statusCode() == 200 ? null : r.body()));
            } catch (RuntimeException e) {
                samples.add(new Sample(at, -1, null, null, e.toString()));
            }
        }
    }

    private static List<Sample> between(List<Sample> samples, long from, long to) {
        return filter(samples, s -> s.at() >= from && s.at() < to);
    }

    private static List<Sample> filter(List<Sample> samples, Predicate<Sample> p) {
        return samples.stream().filter(p).toList();
    }
}
