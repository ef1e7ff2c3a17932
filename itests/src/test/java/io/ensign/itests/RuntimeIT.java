package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.store.Store;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * A server made of the features' bundles wires up: every bundle active, every built-in plugin registered, and
 * readiness waits for what it promises.
 */
public class RuntimeIT extends FrameworkServerTest {
    private static final long SERVICE_TIMEOUT_MILLIS = 20_000;
    private static final List<String> BUILT_IN_OPERATORS = List.of("equals", "not_equals", "in", "not_in",
            "contains", "starts_with", "ends_with", "matches", "gt", "gte", "lt", "lte", "semver_eq", "semver_gt",
            "semver_lt", "before", "after", "exists");

    @Override
    protected Option[] options(Path home) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        return EnsignConfiguration.fileInstall(home);
    }

    @Test
    public void everyBundleIsActiveAndEveryFragmentResolved() {
        List<String> notRunning = Arrays.stream(context.getBundles())
                .filter(bundle -> bundle.getState() != expectedState(bundle))
                .map(bundle -> bundle.getSymbolicName() + " is in state " + bundle.getState())
                .toList();

        assertEquals(List.of(), notRunning);
    }

    @Test
    public void readinessWaitsForEveryServerComponentAndNamesTheOneThatIsNot() throws Exception {
        // Without the token bundle, the API servlet has no authenticator to ask.
        Bundle auth = Arrays.stream(context.getBundles()).filter(b -> "ensign-auth".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        auth.stop();
        try {
            HttpResponse<String> ready = http.send("GET", "/health/ready", null, null);
            assertEquals(ready.body(), 503, ready.statusCode());
            assertTrue(ready.body(), http.json(ready).path("missing").toString()
                    .contains("component io.ensign.http.internal.ApiServlet"));
        } finally {
            auth.start();
        }
        http.awaitReady();
    }

    @Test
    public void readinessWaitsForEveryConfFileToBeInForceAndNamesTheOneThatIsNot() throws Exception {
        Path file = home("conf/io.ensign.engine.config");
        place(file, "pluginGracePeriodMillis = L\"31000\n");
        try {
            HttpResponse<String> ready = http.send("GET", "/health/ready", null, null);
            assertEquals(ready.body(), 503, ready.statusCode());
            assertTrue(ready.body(), http.json(ready).path("missing").toString()
                    .contains("configuration io.ensign.engine.config"));

            place(file, "pluginGracePeriodMillis = L\"31000\"\n");
            http.awaitReady();
            assertEquals("ready, so the engine runs with the file's value", 31000L,
                    engineProperties().get("pluginGracePeriodMillis"));
        } finally {
            Files.delete(file);
        }
        http.awaitReady();
    }

    /** Puts {@code content} into {@code file} at once (FileInstall skips the .tmp), so it never reads half of it. */
    private static void place(Path file, String content) throws Exception {
        Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content);
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What the engine component runs with, as the Service Component Runtime reports it. */
    private Map<String, Object> engineProperties() {
        ServiceReference<ServiceComponentRuntime> reference =
                context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime runtime = context.getService(reference);
        try {
            ComponentDescriptionDTO engine = runtime.getComponentDescriptionDTOs().stream()
                    .filter(d -> d.name.equals("io.ensign.engine.internal.FlagEngine")).findFirst().orElseThrow();
            return runtime.getComponentConfigurationDTOs(engine).iterator().next().properties;
        } finally {
            context.ungetService(reference);
        }
    }

    @Test
    public void storeIsRegistered() throws Exception {
        assertTrue("no Store service", !awaitNames(Store.class, Store.NAME, 1).isEmpty());
    }

    @Test
    public void everyBuiltInOperatorIsRegisteredByName() throws Exception {
        Set<String> names = awaitNames(EvaluationOperator.class, EvaluationOperator.NAME, BUILT_IN_OPERATORS.size());

        assertTrue("missing operators among " + names, names.containsAll(BUILT_IN_OPERATORS));
    }

    @Test
    public void hashAssignmentIsRegistered() throws Exception {
        Set<String> names = awaitNames(AssignmentStrategy.class, AssignmentStrategy.NAME, 1);

        assertTrue("no hash strategy among " + names, names.contains("hash"));
    }

    private static int expectedState(Bundle bundle) {
        return bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null ? Bundle.ACTIVE : Bundle.RESOLVED;
    }

    // DS activates components after the bundles start, so the services appear a moment later.
    private <S> Set<String> awaitNames(Class<S> type, String nameProperty, int atLeast)
            throws InvalidSyntaxException, InterruptedException {
        long deadline = System.currentTimeMillis() + SERVICE_TIMEOUT_MILLIS;
        Set<String> names = names(type, nameProperty);
        while (names.size() < atLeast && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            names = names(type, nameProperty);
        }
        return names;
    }

    private <S> Set<String> names(Class<S> type, String nameProperty) throws InvalidSyntaxException {
        Collection<ServiceReference<S>> references = context.getServiceReferences(type, null);
        return references.stream().map(reference -> String.valueOf(reference.getProperty(nameProperty)))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
