package io.ensign.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.codec.ModelCodec;
import io.ensign.evaluation.PluginGuard;
import io.ensign.evaluation.PluginRegistry;
import io.ensign.evaluation.SnapshotCompiler;
import io.ensign.operators.BuiltInOperators;
import org.junit.jupiter.api.Test;

/** What a new document changed, as the listeners are told it. */
class SyncStateTest {
    private final PluginRegistry<EvaluationOperator> operators =
            new PluginRegistry<>(SnapshotCompiler.OPERATOR, EvaluationOperator.NAME, System::currentTimeMillis);
    private final PluginRegistry<AssignmentStrategy> strategies =
            new PluginRegistry<>(SnapshotCompiler.ASSIGNMENT, AssignmentStrategy.NAME, System::currentTimeMillis);

    private SyncState parse(String segmentValue, int flagVersion, String experimentWeights, String timeout)
            throws IOException {
        BuiltInOperators.create().forEach(operators::register);
        String doc = """
                {"environment": "production", "version": 1,
                 "flags": [
                  {"key": "uses-segment", "type": "boolean", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                   "rules": [{"segment": "staff", "variant": "on"}], "version": 1},
                  {"key": "plain", "type": "boolean", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                   "version": %d},
                  {"key": "tested", "type": "boolean", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                   "version": 1}],
                 "segments": [{"key": "staff", "conditions": [{"attribute": "email", "operator": "ends_with",
                               "values": ["%s"]}], "version": %d}],
                 "experiments": [{"key": "exp", "flag": "tested", "environment": "production", "status": "running",
                                  "weights": %s, "metrics": [{"name": "clicked"}], "version": 1}],
                 "config": {"checkout": {"timeoutMs": %s}}}""".formatted(flagVersion, segmentValue,
                segmentValue.length(), experimentWeights, timeout);
        try (PluginGuard guard = new PluginGuard(1_000, 1_000)) {
            return SyncState.parse(doc.getBytes(StandardCharsets.UTF_8), new ObjectMapper(), new ModelCodec(),
                    new SnapshotCompiler(operators, strategies, guard), 1);
        }
    }

    @Test
    void aSegmentChangeChangesTheFlagsThatUseItAndAnExperimentChangeItsFlag() throws IOException {
        SyncState before = parse("@a.example", 1, "{\"on\": 1, \"off\": 1}", "100");
        assertEquals(Set.of(), parse("@a.example", 1, "{\"on\": 1, \"off\": 1}", "100").changedFlags(before));
        assertEquals(Set.of("uses-segment"), parse("@bb.example", 1, "{\"on\": 1, \"off\": 1}", "100")
                .changedFlags(before));
        assertEquals(Set.of("plain"), parse("@a.example", 2, "{\"on\": 1, \"off\": 1}", "100").changedFlags(before));
        assertEquals(Set.of("tested"), parse("@a.example", 1, "{\"on\": 3, \"off\": 1}", "100").changedFlags(before));
        assertEquals(Set.of("checkout/timeoutMs"), parse("@a.example", 1, "{\"on\": 1, \"off\": 1}", "200")
                .changedConfig(before));
        assertEquals(Set.of("plain", "tested", "uses-segment"), SyncState.EMPTY.changedFlags(before),
                "every flag went");
        assertEquals(List.of("exp"), before.experimentsWithMetric("clicked"));
        assertEquals(200, parse("@a.example", 1, "{\"on\": 1, \"off\": 1}", "200").config("checkout", "timeoutMs")
                .asInt());
    }

    private SyncState patch(SyncState state, long sequence, String event) throws IOException {
        try (PluginGuard guard = new PluginGuard(1_000, 1_000)) {
            return state.patched(sequence, new ObjectMapper().readTree(event), new ObjectMapper(), new ModelCodec(),
                    new SnapshotCompiler(operators, strategies, guard), 2);
        }
    }

    private static String flagEvent(String key, long version, String object) {
        return "{\"kind\": \"flag\", \"key\": \"" + key + "\", \"version\": " + version
                + (object == null ? "" : ", \"object\": " + object) + "}";
    }

    @Test
    void aStreamedObjectReplacesAddsOrRemovesItsEntryAsTheDocumentAtThatSequenceWould() throws IOException {
        String weights = "{\"on\": 1, \"off\": 1}";
        SyncState before = parse("@a.example", 1, weights, "100");
        SyncState segment = patch(before, 7, """
                {"kind": "segment", "key": "staff", "version": 11, "object": {"key": "staff", "conditions":
                 [{"attribute": "email", "operator": "ends_with", "values": ["@bb.example"]}]}}""");
        assertEquals(7, segment.version());
        assertEquals(Set.of("uses-segment"), segment.changedFlags(before));
        assertEquals(Set.of(), segment.changedFlags(parse("@bb.example", 1, weights, "100")),
                "the same as the document holding the new segment");
        SyncState added = patch(segment, 8, flagEvent("new", 1,
                "{\"key\": \"new\", \"type\": \"string\", \"variants\": {\"a\": \"x\"}, \"defaultVariant\": \"a\"}"));
        assertEquals(Set.of("new"), added.changedFlags(segment));
        assertEquals("x", added.snapshot().evaluate("production", "new", new EvaluationContext("u", Map.of()),
                MissingTargetingKey.NO_MATCH).value());
        SyncState deleted = patch(added, 9, flagEvent("plain", 2, "null"));
        assertEquals(Set.of("plain"), deleted.changedFlags(added));
        assertFalse(deleted.snapshot().contains("plain"));
        SyncState stopped = patch(deleted, 10, """
                {"kind": "experiment", "key": "exp", "version": 2, "object": {"key": "exp", "flag": "tested",
                 "environment": "production", "status": "stopped", "weights": {"on": 1, "off": 1}}}""");
        assertEquals(Set.of("tested"), stopped.changedFlags(deleted));
        assertEquals(List.of(), stopped.experimentsWithMetric("clicked"), "an experiment that stopped runs no more");
        SyncState older = patch(stopped, 11, """
                {"kind": "segment", "key": "staff", "version": 10, "object": {"key": "staff", "conditions": []}}""");
        assertEquals(Set.of(), older.changedFlags(stopped), "an object held at a newer version stays");
        assertEquals(11, older.version());
        assertNull(patch(older, 12, "{\"kind\": \"config\", \"key\": \"checkout/timeoutMs\", \"version\": 2}"),
                "configuration is fetched");
        assertNull(patch(older, 12, flagEvent("plain", 3, null)), "an event without its object is fetched");
        try (PluginGuard guard = new PluginGuard(1_000, 1_000)) {
            SyncState reread = SyncState.parse(older.document(), new ObjectMapper(), new ModelCodec(),
                    new SnapshotCompiler(operators, strategies, guard), 3);
            assertEquals(Set.of(), reread.changedFlags(older), "the patched bytes, as the backup file keeps them");
            assertEquals(11, reread.version());
        }
    }

    @Test
    void bytesThatAreNoSyncDocumentAreRefused() {
        try (PluginGuard guard = new PluginGuard(1, 1)) {
            assertThrows(IOException.class, () -> SyncState.parse("{\"flags\": []}".getBytes(StandardCharsets.UTF_8),
                    new ObjectMapper(), new ModelCodec(), new SnapshotCompiler(operators, strategies, guard), 1));
        }
    }
}
