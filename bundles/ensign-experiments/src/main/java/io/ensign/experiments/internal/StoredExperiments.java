package io.ensign.experiments.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.api.experiment.ExperimentService;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.experiment.IllegalTransitionException;
import io.ensign.api.experiment.IngestResult;
import io.ensign.api.model.Flag;
import io.ensign.api.model.FlagEnvironment;
import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.store.VersionConflictException;
import io.ensign.api.validation.ValidationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Experiments as documents of kind {@value ExperimentService#EXPERIMENT} in the {@link Store}, their events in the
 * {@link ExperimentEventStore}, and their analysis through whatever {@link StatisticalTest} plugins are installed,
 * looked up by name at each analysis so that a test can be replaced while experiments run.
 *
 * <p>Starting is serialized on this node so that two experiments on one flag and environment cannot both start;
 * every other write relies on the store's optimistic versions.
 */
@Component(service = ExperimentService.class)
public final class StoredExperiments implements ExperimentService {
    private final Store store;
    private final FlagCatalog catalog;
    private final ExperimentEventStore events;
    private final Clock clock;
    private final ExperimentDocument documents = new ExperimentDocument();
    private final ExperimentValidation validation;
    private final ExperimentAnalysis analysis;
    private final ReentrantLock startLock = new ReentrantLock();
    /** Installed tests by name; the newest registration of a name is used. */
    private final Map<String, List<StatisticalTest>> tests = new ConcurrentHashMap<>();

    @Activate
    public StoredExperiments(@Reference(target = Store.SELECTED) Store store, @Reference FlagCatalog catalog,
                             @Reference(target = Store.SELECTED) ExperimentEventStore events) {
        this(store, catalog, events, Clock.systemUTC());
    }

    StoredExperiments(Store store, FlagCatalog catalog, ExperimentEventStore events, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.events = events;
        this.clock = clock;
        this.validation = new ExperimentValidation(catalog);
        this.analysis = new ExperimentAnalysis(this::test, events::recordSequentialPValue);
    }

    @Reference(service = StatisticalTest.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addTest(StatisticalTest test, Map<String, Object> properties) {
        if (properties.get(StatisticalTest.NAME) instanceof String name) {
            tests.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(test);
        }
    }

    void removeTest(StatisticalTest test, Map<String, Object> properties) {
        if (properties.get(StatisticalTest.NAME) instanceof String name) {
            tests.computeIfPresent(name, (n, list) -> {
                list.remove(test);
                return list.isEmpty() ? null : list;
            });
        }
    }

    private StatisticalTest test(String name) {
        List<StatisticalTest> named = tests.get(name);
        if (named == null) {
            return null;
        }
        Object[] snapshot = named.toArray();
        return snapshot.length == 0 ? null : (StatisticalTest) snapshot[snapshot.length - 1];
    }

    @Override
    public WriteResult<Experiment> put(Experiment experiment, long expectedVersion, WriteContext context) {
        Optional<Experiment> current = get(experiment.key());
        if (current.isPresent() && current.get().status() != ExperimentStatus.DRAFT) {
            throw new IllegalTransitionException(experiment.key(), current.get().status(), "be edited");
        }
        Experiment draft = experiment.withLifecycle(ExperimentStatus.DRAFT, null, null, null, null);
        validation.check(draft);
        long currentVersion = current.map(Experiment::version).orElse(Mutation.ABSENT);
        // writing against the version read keeps "only drafts are edited" true if it started meanwhile
        long expected = expectedVersion == Mutation.ANY_VERSION ? currentVersion : expectedVersion;
        Experiment stored = commit(draft, expected, null, context.actor(), context);
        return new WriteResult<>(stored, current.isEmpty(), List.of());
    }

    @Override
    public Optional<Experiment> get(String key) {
        return store.get(EXPERIMENT, key).map(documents::read);
    }

    @Override
    public List<Experiment> list() {
        return store.list(EXPERIMENT).stream().map(documents::read).toList();
    }

    @Override
    public void delete(String key, long expectedVersion, WriteContext context) {
        Experiment current = require(key);
        if (current.status() != ExperimentStatus.DRAFT) {
            throw new IllegalTransitionException(key, current.status(), "be deleted");
        }
        long expected = expectedVersion == Mutation.ANY_VERSION ? current.version() : expectedVersion;
        store.commit(List.of(new Mutation(EXPERIMENT, key, current.environment(), null, expected, null,
                context.actor(), context.reason(), context.requestId())));
    }

    @Override
    public Experiment start(String key, WriteContext context) {
        startLock.lock();
        try {
            Experiment current = require(key);
            if (current.status() != ExperimentStatus.DRAFT) {
                throw new IllegalTransitionException(key, current.status(), "start");
            }
            // the flag may have changed since the draft was written
            validation.check(current);
            for (Experiment other : list()) {
                if (other.status() == ExperimentStatus.RUNNING && other.flag().equals(current.flag())
                        && other.environment().equals(current.environment())) {
                    throw new IllegalTransitionException(key, current.status(), "start",
                            "experiment '" + other.key() + "' already runs on flag '" + current.flag() + "' in "
                                    + current.environment() + "; only one may run at a time");
                }
            }
            Experiment running = current.withLifecycle(ExperimentStatus.RUNNING, null, clock.instant(), null, null);
            return commit(running, current.version(), "start", context.actor(), context);
        } finally {
            startLock.unlock();
        }
    }

    @Override
    public Experiment stop(String key, WriteContext context) {
        return stop(require(key), context.actor(), context);
    }

    private Experiment stop(Experiment current, String actor, WriteContext context) {
        if (current.status() != ExperimentStatus.RUNNING) {
            throw new IllegalTransitionException(current.key(), current.status(), "stop");
        }
        Experiment stopped = current.withLifecycle(ExperimentStatus.ANALYSING, null, current.startedAt(),
                clock.instant(), actor);
        return commit(stopped, current.version(), "stop", actor, context);
    }

    @Override
    public Experiment conclude(String key, String winner, WriteContext context) {
        Experiment current = require(key);
        if (current.status() != ExperimentStatus.ANALYSING) {
            throw new IllegalTransitionException(key, current.status(), "conclude");
        }
        if (winner != null) {
            if (!current.weights().containsKey(winner)) {
                throw new ValidationException(List.of(ExperimentValidation.fail("/winner",
                        "must be one of the variants of the experiment: " + current.weights().keySet())));
            }
            rollOut(current, winner, context);
        }
        Experiment concluded = current.withLifecycle(ExperimentStatus.CONCLUDED, winner, current.startedAt(),
                current.stoppedAt(), current.stoppedBy());
        return commit(concluded, current.version(), "conclude", context.actor(), context);
    }

    /** Makes the winner the flag's default in the experiment's environment, with no rules there to override it. */
    private void rollOut(Experiment experiment, String winner, WriteContext context) {
        Flag flag = catalog.flag(experiment.flag())
                .orElseThrow(() -> new NotFoundException(FlagCatalog.FLAG, experiment.flag()));
        if (!flag.variants().containsKey(winner)) {
            // the flag may have been edited since the experiment started; its default must name one of its variants
            throw new ValidationException(List.of(ExperimentValidation.fail("/winner", "flag '" + flag.key()
                    + "' has no variant '" + winner + "' any more; its variants: " + flag.variants().keySet())));
        }
        Map<String, FlagEnvironment> environments = new LinkedHashMap<>(flag.environments());
        FlagEnvironment before = environments.get(experiment.environment());
        environments.put(experiment.environment(), new FlagEnvironment(before == null ? null : before.enabled(),
                winner, List.of(), before == null ? null : before.overrides()));
        Flag rolledOut = new Flag(flag.key(), flag.type(), flag.description(), flag.enabled(), flag.variants(),
                flag.defaultVariant(), flag.overrides(), flag.rules(), environments, flag.version());
        String reason = context.reason() != null ? context.reason()
                : "experiment '" + experiment.key() + "' concluded with winner '" + winner + "'";
        catalog.putFlag(rolledOut, flag.version(), new WriteContext(context.actor(), reason, context.requestId()));
    }

    @Override
    public IngestResult ingest(List<Map<String, Object>> rawEvents) {
        Map<String, Optional<Experiment>> experiments = new HashMap<>();
        RawEventReader reader = new RawEventReader(key -> experiments.computeIfAbsent(key, this::get),
                clock.instant());
        List<ExperimentEvent> valid = new ArrayList<>();
        List<IngestResult.Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < rawEvents.size(); i++) {
            RawEventReader.Read read = reader.read(rawEvents.get(i));
            if (read.event() != null) {
                valid.add(read.event());
            } else {
                rejected.add(new IngestResult.Rejection(i, read.rejection()));
            }
        }
        long accepted = events.append(valid).stream().filter(o -> o == ExperimentEventStore.Outcome.ACCEPTED)
                .count();
        Set<String> touched = new LinkedHashSet<>();
        valid.forEach(e -> touched.add(e.experiment()));
        for (String key : touched) {
            experiments.get(key).filter(e -> e.status() == ExperimentStatus.RUNNING && e.autoStop().enabled())
                    .ifPresent(this::analyse);
        }
        return new IngestResult(accepted, valid.size() - accepted, rejected);
    }

    @Override
    public Map<String, Object> results(String key) {
        return analyse(require(key));
    }

    /** Analyses an experiment and, when auto-stop fires, stops it; the document then shows it analysing. */
    private Map<String, Object> analyse(Experiment experiment) {
        ExperimentAnalysis.Results results = analysis.analyse(experiment, events.aggregates(experiment.key()));
        if (!results.decision().fire()) {
            return results.document();
        }
        WriteContext context = new WriteContext(Experiment.AUTO_STOP_ACTOR, results.decision().reason(), null);
        try {
            Experiment stopped = stop(experiment, Experiment.AUTO_STOP_ACTOR, context);
            Map<String, Object> document = new LinkedHashMap<>(results.document());
            document.put("status", stopped.status().jsonName());
            return document;
        } catch (VersionConflictException | IllegalTransitionException e) {
            // someone else changed the experiment meanwhile; the next look decides again on what is stored
            return results.document();
        }
    }

    private Experiment require(String key) {
        return get(key).orElseThrow(() -> new NotFoundException(EXPERIMENT, key));
    }

    private Experiment commit(Experiment experiment, long expectedVersion, String action, String actor,
                              WriteContext context) {
        Document document = store.commit(List.of(new Mutation(EXPERIMENT, experiment.key(),
                experiment.environment(), documents.write(experiment), expectedVersion, action, actor,
                context.reason(), context.requestId()))).get(0);
        return experiment.withVersion(document.version());
    }
}
