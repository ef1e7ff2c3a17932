package io.ensign.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.client.EnsignClient;
import io.getunleash.DefaultUnleash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peers of {@link PeerEvaluationBenchmark} answer as Ensign does, on contexts that take every path of the flags
 * (the segment, its excluded key, the second rule, both sides of the rollout, no rule), before their timings mean
 * anything. Each peer is compared with the copy of Ensign's flag that uses that peer's assignment strategy
 * ({@link ClientEvaluationBenchmark#peerKey}), so the rollout puts every key where the peer puts it.
 */
class PeerAgreementTest {
    private static final int CONTEXTS = 600;
    private static final List<String> FLAGS = List.of(PeerFlags.CHECKOUT, PeerFlags.SIMPLE);

    @TempDir
    static Path dir;
    private static EnsignClient ensign;
    private static DefaultUnleash unleash;
    private static Client flagd;
    private static List<EvaluationContext> contexts;

    @BeforeAll
    static void start() throws Exception {
        ensign = ClientEvaluationBenchmark.client(dir);
        unleash = PeerFlags.unleash(dir);
        FlagdProvider provider = PeerFlags.flagd(dir);
        OpenFeatureAPI.getInstance().setProviderAndWait("flagd", provider);
        flagd = OpenFeatureAPI.getInstance().getClient("flagd");
        contexts = contexts();
    }

    @AfterAll
    static void stop() {
        OpenFeatureAPI.getInstance().shutdown();
        unleash.shutdown();
        ensign.close();
    }

    /** The benchmark's ten attributes, with the four the flags test drawn so that every rule is tried. */
    private static List<EvaluationContext> contexts() {
        Random random = new Random(9);
        String[] countries = {"NL", "DE", "BE", "FR", "AT", "US", "GB", "JP"};
        String[] versions = {"8.4.1", "9.0.0", "9.0.1", "9.1.0", "10.0.0", "12.3.4", "1.0.0"};
        String[] plans = {"pro", "pro", "free", "team"};
        List<EvaluationContext> list = new ArrayList<>();
        for (int i = 0; i < CONTEXTS; i++) {
            boolean staff = i == 13 || random.nextInt(8) == 0;
            list.add(EvaluationBenchmark.context(i, "user-" + i + (staff ? "@ensign.example" : "@customer.example"),
                    countries[random.nextInt(countries.length)], versions[random.nextInt(versions.length)],
                    plans[random.nextInt(plans.length)]));
        }
        return list;
    }

    @Test
    void unleashAnswersAsEnsignWithTheUnleashStrategy() {
        for (String flag : FLAGS) {
            Map<String, Integer> paths = compare(flag, ClientEvaluationBenchmark.UNLEASH,
                    c -> unleash.isEnabled(flag, PeerFlags.unleashContext(c), false));
            assertEveryPathTaken(flag, paths);
        }
    }

    @Test
    void flagdAnswersAsEnsignWithTheFlagdStrategy() {
        for (String flag : FLAGS) {
            Map<String, Integer> paths = compare(flag, ClientEvaluationBenchmark.FLAGD, c -> {
                FlagEvaluationDetails<Boolean> details = flagd.getBooleanDetails(flag, false,
                        PeerFlags.openFeatureContext(c));
                assertEquals(null, details.getErrorCode(), () -> flag + " for " + c + ": " + details);
                return details.getValue();
            });
            assertEveryPathTaken(flag, paths);
        }
    }

    @Test
    void flagdNamesTheVariantEnsignNames() throws InstantiationException {
        String flag = PeerFlags.CHECKOUT;
        for (EvaluationContext c : contexts) {
            EvaluationResult expected = ensign.evaluate(ClientEvaluationBenchmark.peerKey(flag,
                    ClientEvaluationBenchmark.FLAGD), c);
            String variant = flagd.getBooleanDetails(flag, false, PeerFlags.openFeatureContext(c)).getVariant();
            assertEquals(expected.variant(), variant, () -> "variant of " + flag + " for " + c);
        }
    }

    /**
     * Every context's value from the peer against Ensign's flag of the peer's strategy; answers how many contexts
     * took each path (Ensign's reason, rule index and value).
     */
    private static Map<String, Integer> compare(String flag, String strategy, PeerAnswer peer) {
        Map<String, Integer> paths = new TreeMap<>();
        String key = ClientEvaluationBenchmark.peerKey(flag, strategy);
        for (EvaluationContext c : contexts) {
            EvaluationResult expected = ensign.evaluate(key, c);
            assertEquals(null, expected.errorCode(), () -> key + " for " + c + ": " + expected);
            boolean actual;
            try {
                actual = peer.answer(c);
            } catch (Exception e) {
                throw new AssertionError(flag + " for " + c, e);
            }
            assertEquals(expected.value(), actual, () -> flag + " for " + c + ": Ensign " + expected);
            paths.merge(expected.reason() + " " + expected.metadata().get("ruleIndex") + " " + expected.value(), 1,
                    Integer::sum);
        }
        System.out.println(flag + " (" + strategy + "): " + contexts.size() + " contexts agree, paths " + paths);
        return paths;
    }

    /** The contexts reached the segment, the second rule, both sides of the rollout and the default. */
    private static void assertEveryPathTaken(String flag, Map<String, Integer> paths) {
        for (String path : List.of("TARGETING_MATCH 0 true", "TARGETING_MATCH 1 true", "SPLIT 2 true",
                "SPLIT 2 false", "DEFAULT null false")) {
            assertTrue(paths.getOrDefault(path, 0) >= 10, () -> flag + ": path " + path + " too rare in " + paths);
        }
        EvaluationResult excluded = ensign.evaluate(flag, contexts.get(13));
        assertNotEquals(0, excluded.metadata().get("ruleIndex"), () -> "user-13 is excluded from the segment: "
                + excluded);
    }

    @FunctionalInterface
    private interface PeerAnswer {
        boolean answer(EvaluationContext context) throws InstantiationException;
    }
}
