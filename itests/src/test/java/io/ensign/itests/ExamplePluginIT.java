package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.ensign.itests.plugins.PluginJars;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * The example plugin (examples/custom-operator, built earlier in the reactor) installed the two ways a user would:
 * posted to the API and dropped into deploy/; and jars the server must refuse, leaving the running set as it was.
 */
public class ExamplePluginIT extends FrameworkServerTest {
    private static final String EXAMPLE = "ensign-example-custom-operator";
    private static final String CIDR_FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"off\",\"rules\":[{\"conditions\":[{\"attribute\":\"ip\",\"operator\":\"ip_in_cidr\","
            + "\"values\":[\"10.0.0.0/8\"]}],\"variant\":\"on\"}]}";

    @Override
    protected Option[] options(Path home) throws Exception {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.copy(Path.of("..", "examples", "custom-operator", "target", EXAMPLE + "-1.0.0.jar"),
                jars.resolve("example.jar"));
        Files.writeString(jars.resolve("not-a-bundle.jar"), "this is no jar");
        PluginJars.write(jars.resolve("unresolvable.jar"), "it.unresolvable", "1.0.0",
                "com.nobody.exports.this;version=\"[1.0,2)\"");
        Files.createDirectories(home.resolve("deploy"));
        return EnsignConfiguration.fileInstall(home);
    }

    private HttpResponse<String> post(Path jar) throws Exception {
        return http.send(http.request("POST", "/api/v1/bundles", ADMIN, null)
                .method("POST", HttpRequest.BodyPublishers.ofFile(jar))
                .header("Content-Type", "application/octet-stream"));
    }

    private void flagUsingCidrEvaluates() {
        http.expect(201, "PUT", "/api/v1/flags/it-office", ADMIN, CIDR_FLAG);
        assertEquals(true, http.expect(200, "POST", "/ofrep/v1/evaluate/flags/it-office", ADMIN,
                "{\"context\":{\"targetingKey\":\"u1\",\"ip\":\"10.1.2.3\"}}").path("value").asBoolean());
        assertEquals(false, http.expect(200, "POST", "/ofrep/v1/evaluate/flags/it-office", ADMIN,
                "{\"context\":{\"targetingKey\":\"u1\",\"ip\":\"192.168.1.1\"}}").path("value").asBoolean());
        assertEquals(204, http.send("DELETE", "/api/v1/flags/it-office", ADMIN, null).statusCode());
    }

    @Test
    public void theExamplePostedToTheApiServesIpInCidrAndIsListed() throws Exception {
        HttpResponse<String> installed = post(home("jars/example.jar"));
        assertEquals(installed.body(), 201, installed.statusCode());
        assertEquals("active", http.json(installed).path("state").asText());
        assertTrue(Files.exists(home("deploy/" + EXAMPLE + ".jar")));
        flagUsingCidrEvaluates();
        String plugins = http.expect(200, "GET", "/api/v1/plugins", ADMIN, null).toString();
        assertTrue(plugins, plugins.contains("{\"kind\":\"operator\",\"name\":\"ip_in_cidr\",\"version\":\"1.0.0\","
                + "\"bundle\":\"" + EXAMPLE + "\",\"state\":\"active\""));
        assertTrue(http.expect(200, "GET", "/api/v1/bundles", ADMIN, null).toString().contains(EXAMPLE));

        assertEquals(204, http.send("DELETE", "/api/v1/bundles/" + EXAMPLE, ADMIN, null).statusCode());
        assertTrue(Files.notExists(home("deploy/" + EXAMPLE + ".jar")));
        assertEquals(List.of("install by api", "uninstall by api"), lastAudited(2));
    }

    @Test
    public void brokenJarsGet422WithTheReasonAndChangeNothing() throws Exception {
        String before = runningSet();
        HttpResponse<String> notABundle = post(home("jars/not-a-bundle.jar"));
        assertEquals(notABundle.body(), 422, notABundle.statusCode());
        assertEquals("INVALID_BUNDLE", http.json(notABundle).path("error").asText());

        HttpResponse<String> unresolvable = post(home("jars/unresolvable.jar"));
        assertEquals(unresolvable.body(), 422, unresolvable.statusCode());
        assertTrue(unresolvable.body(), http.json(unresolvable).path("message").asText().contains("com.nobody.exports.this"));

        HttpResponse<String> core = http.send("DELETE", "/api/v1/bundles/ensign-engine", ADMIN, null);
        assertEquals(core.body(), 422, core.statusCode());
        assertEquals(404, http.send("DELETE", "/api/v1/bundles/no.such.bundle", ADMIN, null).statusCode());
        assertEquals(before, runningSet());
        try (var deployed = Files.list(home("deploy"))) {
            assertEquals(0, deployed.count());
        }
    }

    @Test
    public void theExampleDroppedIntoDeployIsUsableWithinSeconds() throws Exception {
        Path staged = home("example.jar.part");
        Files.copy(home("jars/example.jar"), staged);
        Files.move(staged, home("deploy/dropped-example.jar"), StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.currentTimeMillis() + 5_000;
        while (!http.expect(200, "GET", "/api/v1/plugins", ADMIN, null).toString().contains("ip_in_cidr")
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        flagUsingCidrEvaluates();
        Files.delete(home("deploy/dropped-example.jar"));
        assertEquals(List.of("install by deploy-directory", "uninstall by deploy-directory"), lastAudited(2));
    }

    /** The last audited changes of the example bundle once the uninstall is among them (the audit follows). */
    private List<String> lastAudited(int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        List<String> audit = PluginHotSwapIT.bundleAudit(context, EXAMPLE);
        while ((audit.isEmpty() || !audit.get(audit.size() - 1).startsWith("uninstall"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            audit = PluginHotSwapIT.bundleAudit(context, EXAMPLE);
        }
        return audit.subList(Math.max(0, audit.size() - count), audit.size());
    }

    private String runningSet() {
        return Arrays.toString(Arrays.stream(context.getBundles())
                .map(b -> b.getBundleId() + ":" + b.getSymbolicName() + ":" + b.getState()).toArray());
    }
}
