package io.ensign.stats.http.internal;

import java.io.IOException;
import java.net.URL;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.JsonBodies;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.plugin.BoundServices;
import io.ensign.api.plugin.PluginBindings;
import io.ensign.api.stats.InvalidInputException;
import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import io.ensign.codec.PlainValues;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code POST /api/v1/stats/{test}}, the statistics calculator: the body goes as plain maps to the
 * {@link StatisticalTest} service of that name and its output comes back as it is. Tests come and go with their
 * bundles; each request uses the one registered now (highest service ranking, then oldest, on a name clash). A test
 * that leaves keeps answering for a grace period (as evaluation plugins do) until a replacement of its name arrives
 * or the period ends, so updating a test's bundle in place keeps requests answered.
 *
 * <p>Bad input is never a 5xx: an {@link InvalidInputException} is a 422 VALIDATION_FAILED whose violation names
 * the test as its rule and the field by JSON pointer; any other failure of the test on this input is reported
 * the same way, with field "" and the test's message, since the caller can only change the input.
 */
@Component(service = {ApiResource.class, PluginBindings.class}, configurationPid = StatsResource.PID)
@Designate(ocd = StatsResource.Config.class)
public final class StatsResource implements ApiResource, PluginBindings {
    static final String PID = "io.ensign.http.stats";

    /** How the calculator treats tests that leave. */
    @ObjectClassDefinition(name = "Ensign statistics calculator",
            description = "How the statistics endpoints treat a statistical test that goes away")
    public @interface Config {
        @AttributeDefinition(description = "How long a statistical test that left keeps answering until a "
                + "replacement of its name arrives, in milliseconds")
        long gracePeriodMillis() default 30_000;
    }

    private final List<RegisteredTest> tests = new CopyOnWriteArrayList<>();
    /** Tests that left, by name, with the time until which they still answer. */
    private final Map<String, Departed> departed = new ConcurrentHashMap<>();
    private final BoundServices boundPlugins = new BoundServices();
    private volatile long graceMillis;

    private record Departed(StatisticalTest test, long untilMillis) {
    }

    @Activate
    public StatsResource(Config config) {
        configure(config);
    }

    @Modified
    void configure(Config config) {
        graceMillis = Math.max(0, config.gracePeriodMillis());
    }

    /** A test service with what ranks it against another of the same name. */
    private record RegisteredTest(String name, int ranking, long serviceId, StatisticalTest test) {
        static final Comparator<RegisteredTest> PREFERRED = Comparator.comparingInt(RegisteredTest::ranking)
                .reversed().thenComparingLong(RegisteredTest::serviceId);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTest(StatisticalTest test, Map<String, Object> properties) {
        if (properties.get(StatisticalTest.NAME) instanceof String name) {
            int ranking = properties.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
            long id = properties.get(Constants.SERVICE_ID) instanceof Long l ? l : Long.MAX_VALUE;
            tests.add(new RegisteredTest(name, ranking, id, test));
            departed.remove(name);
        }
        boundPlugins.bound(properties);
    }

    void removeTest(StatisticalTest test, Map<String, Object> properties) {
        boundPlugins.unbinding(properties);
        // Departed first, then removed: a request in between finds one or the other, never neither.
        if (properties.get(StatisticalTest.NAME) instanceof String name && tests.stream()
                .noneMatch(t -> t.name().equals(name) && t.test() != test)) {
            departed.put(name, new Departed(test, System.currentTimeMillis() + graceMillis));
        }
        tests.removeIf(registered -> registered.test() == test);
    }

    @Override
    public boolean hasBound(long serviceId) {
        return boundPlugins.hasBound(serviceId);
    }

    /** The statistics calculator's part of the OpenAPI document, next to this class. */
    @Override
    public URL openApi() {
        return StatsResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post("/api/v1/stats/{test}", Permission.READ, this::compute));
    }

    private void compute(Call call) throws IOException {
        String name = call.parameter("test");
        StatisticalTest test = tests.stream().filter(t -> t.name().equals(name)).min(RegisteredTest.PREFERRED)
                .map(RegisteredTest::test)
                .or(() -> inGrace(name))
                .orElseThrow(() -> new ApiException(404, ErrorCodes.NOT_FOUND, "no statistical test '" + name + "'"));
        JsonNode body = call.body();
        if (!body.isObject()) {
            throw invalid(name, "", "the input must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> input = (Map<String, Object>) PlainValues.toJava(body);
        Map<String, Object> output;
        try {
            output = test.compute(input);
        } catch (InvalidInputException e) {
            throw invalid(name, e.field() == null ? "" : e.field(), e.getMessage());
        } catch (RuntimeException e) {
            throw invalid(name, "", "the test cannot compute this input: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        call.respond(200, g -> JsonBodies.writePlain(g, output));
    }

    private Optional<StatisticalTest> inGrace(String name) {
        Departed left = departed.get(name);
        return left != null && left.untilMillis() > System.currentTimeMillis() ? Optional.of(left.test())
                : Optional.empty();
    }

    private static ValidationException invalid(String test, String field, String message) {
        return new ValidationException(List.of(Violation.error(test, field, message)));
    }
}
