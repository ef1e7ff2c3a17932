package io.ensign.experiments.internal;

import static io.ensign.experiments.internal.Fixture.ALICE;
import static io.ensign.experiments.internal.Fixture.experiment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.experiment.AutoStop;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentService;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.experiment.IllegalTransitionException;
import io.ensign.api.model.Flag;
import io.ensign.api.model.FlagEnvironment;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.VersionConflictException;
import io.ensign.api.validation.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentLifecycleTest {
    @TempDir
    Path directory;
    private Fixture fixture;
    private ExperimentService service;

    @BeforeEach
    void setUp() {
        fixture = new Fixture(directory);
        service = fixture.service;
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private Experiment inStatus(ExperimentStatus status) {
        service.put(experiment("e", AutoStop.DISABLED), -1, ALICE);
        if (status != ExperimentStatus.DRAFT) {
            service.start("e", ALICE);
        }
        if (status == ExperimentStatus.ANALYSING || status == ExperimentStatus.CONCLUDED) {
            service.stop("e", ALICE);
        }
        if (status == ExperimentStatus.CONCLUDED) {
            service.conclude("e", null, ALICE);
        }
        Experiment experiment = service.get("e").orElseThrow();
        assertEquals(status, experiment.status());
        return experiment;
    }

    @Test
    void draftRunsThenIsAnalysedThenConcludedWithEachStepAudited() {
        Experiment created = service.put(experiment("e", AutoStop.DISABLED), Mutation.ABSENT, ALICE).value();
        assertEquals(1, created.version());
        Experiment running = service.start("e", ALICE);
        assertEquals(ExperimentStatus.RUNNING, running.status());
        assertNotNull(running.startedAt());
        Experiment analysing = service.stop("e", ALICE);
        assertEquals(ExperimentStatus.ANALYSING, analysing.status());
        assertEquals("alice", analysing.stoppedBy());
        Experiment concluded = service.conclude("e", null, ALICE);
        assertEquals(ExperimentStatus.CONCLUDED, concluded.status());
        assertEquals(4, concluded.version());
        assertEquals(List.of("create", "start", "stop", "conclude"), fixture.changes().stream()
                .map(AuditRecord::action).toList());
        assertTrue(fixture.changes().stream().allMatch(m -> "production".equals(m.environment())
                && "alice".equals(m.actor()) && "experiment".equals(m.kind())));
    }

    @Test
    void theStoredDocumentHasTheFieldsTheEngineReads() throws Exception {
        service.put(experiment("e", new AutoStop(true, 100)), -1, ALICE);
        service.start("e", ALICE);
        JsonNode node = new ObjectMapper().readTree(fixture.store.get("experiment", "e").orElseThrow().json());
        assertEquals("checkout", node.get("flag").asText());
        assertEquals("production", node.get("environment").asText());
        assertEquals("running", node.get("status").asText());
        assertEquals(50.0, node.get("weights").get("on").asDouble());
        assertEquals(List.of("off", "on"), List.copyOf(iterable(node.get("weights").fieldNames())));
        assertEquals("proportion", node.get("metrics").get(0).get("kind").asText());
        assertEquals(100, node.get("autoStop").get("minUnitsPerVariant").asInt());
        assertTrue(node.has("winner") && node.has("startedAt") && node.has("stoppedAt"));
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void startIsOnlyAllowedFromDraft() {
        for (ExperimentStatus status : List.of(ExperimentStatus.RUNNING, ExperimentStatus.ANALYSING,
                ExperimentStatus.CONCLUDED)) {
            assertIllegal(status, "start", e -> service.start(e.key(), ALICE));
        }
    }

    @Test
    void stopIsOnlyAllowedWhileRunning() {
        for (ExperimentStatus status : List.of(ExperimentStatus.DRAFT, ExperimentStatus.ANALYSING,
                ExperimentStatus.CONCLUDED)) {
            assertIllegal(status, "stop", e -> service.stop(e.key(), ALICE));
        }
    }

    @Test
    void concludeIsOnlyAllowedWhileAnalysing() {
        for (ExperimentStatus status : List.of(ExperimentStatus.DRAFT, ExperimentStatus.RUNNING,
                ExperimentStatus.CONCLUDED)) {
            assertIllegal(status, "conclude", e -> service.conclude(e.key(), null, ALICE));
        }
    }

    @Test
    void editingAndDeletingAreOnlyAllowedInDraft() {
        for (ExperimentStatus status : List.of(ExperimentStatus.RUNNING, ExperimentStatus.ANALYSING,
                ExperimentStatus.CONCLUDED)) {
            assertIllegal(status, "be edited", e -> service.put(experiment("e", AutoStop.DISABLED), -1, ALICE));
            assertIllegal(status, "be deleted", e -> service.delete("e", -1, ALICE));
        }
    }

    private void assertIllegal(ExperimentStatus status, String action, Consumer<Experiment> attempt) {
        fixture.close();
        fixture = new Fixture(directory.resolve(status + action.replace(' ', '-')));
        service = fixture.service;
        Experiment experiment = inStatus(status);
        long writes = fixture.store.lastSequence();
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                () -> attempt.accept(experiment));
        assertEquals(status, e.status());
        assertEquals(action, e.action());
        assertEquals(writes, fixture.store.lastSequence(), "nothing is written");
        assertEquals(status, service.get("e").orElseThrow().status());
    }

    @Test
    void aDraftCanBeEditedWithItsVersionAndDeleted() {
        service.put(experiment("e", AutoStop.DISABLED), -1, ALICE);
        assertThrows(VersionConflictException.class,
                () -> service.put(experiment("e", AutoStop.DISABLED), 7, ALICE));
        Experiment edited = service.put(experiment("e", new AutoStop(true, 50)), 1, ALICE).value();
        assertEquals(2, edited.version());
        assertEquals(50, service.get("e").orElseThrow().autoStop().minUnitsPerVariant());
        service.delete("e", 2, ALICE);
        assertTrue(service.get("e").isEmpty());
    }

    @Test
    void onlyOneExperimentRunsPerFlagAndEnvironment() {
        fixture.running("first", AutoStop.DISABLED);
        service.put(experiment("second", AutoStop.DISABLED), -1, ALICE);
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                () -> service.start("second", ALICE));
        assertTrue(e.getMessage().contains("first"), e.getMessage());
        Experiment staging = new Experiment("third", "checkout", "staging", "off", Map.of("off", 1.0, "on", 1.0),
                experiment("x", AutoStop.DISABLED).metrics(), "converted", 0.05, 0.8, 0.01, AutoStop.DISABLED,
                null, null, null, null, null, 0);
        service.put(staging, -1, ALICE);
        assertEquals(ExperimentStatus.RUNNING, service.start("third", ALICE).status());
        service.stop("first", ALICE);
        assertEquals(ExperimentStatus.RUNNING, service.start("second", ALICE).status());
    }

    @Test
    void concludingWithAWinnerRollsItOutInTheExperimentsEnvironment() {
        inStatus(ExperimentStatus.ANALYSING);
        Experiment concluded = service.conclude("e", "on", ALICE);
        assertEquals("on", concluded.winner());
        Flag flag = fixture.catalog.flag("checkout").orElseThrow();
        assertEquals(2, flag.version());
        FlagEnvironment production = flag.environments().get("production");
        assertEquals("on", production.defaultVariant());
        assertEquals(List.of(), production.rules());
        assertEquals("off", flag.defaultVariant(), "the global default is untouched");
        assertEquals("alice", fixture.catalog.lastContext().actor());
    }

    @Test
    void aWinnerTheFlagNoLongerHasIsRefusedAndNothingChanges() {
        inStatus(ExperimentStatus.ANALYSING);
        Flag flag = fixture.catalog.flag("checkout").orElseThrow();
        Flag renamed = new Flag(flag.key(), flag.type(), flag.description(), flag.enabled(),
                Map.of("off", false, "enabled", true), "off", Map.of(), List.of(), Map.of(), flag.version());
        fixture.catalog.putFlag(renamed, flag.version(), ALICE);
        ValidationException e = assertThrows(ValidationException.class, () -> service.conclude("e", "on", ALICE));
        assertEquals("/winner", e.violations().get(0).field());
        assertTrue(e.violations().get(0).message().contains("no variant 'on'"), e.violations().toString());
        assertEquals(2, fixture.catalog.flag("checkout").orElseThrow().version(), "the flag is not rolled out");
        assertEquals(ExperimentStatus.ANALYSING, service.get("e").orElseThrow().status());
    }

    @Test
    void aWinnerThatIsNotAVariantIsRefusedAndNothingChanges() {
        inStatus(ExperimentStatus.ANALYSING);
        ValidationException e = assertThrows(ValidationException.class, () -> service.conclude("e", "blue", ALICE));
        assertEquals("/winner", e.violations().get(0).field());
        assertEquals(ExperimentStatus.ANALYSING, service.get("e").orElseThrow().status());
        assertEquals(1, fixture.catalog.flag("checkout").orElseThrow().version());
        assertNull(service.get("e").orElseThrow().winner());
    }
}
