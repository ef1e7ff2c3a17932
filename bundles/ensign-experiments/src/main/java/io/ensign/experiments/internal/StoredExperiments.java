package io.ensign.experiments.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import io.ensign.api.experiment.VariantAggregate;
import io.ensign.api.model.Flag;
import io.ensign.api.model.FlagEnvironment;
import io.ensign.api.plugin.BoundServices;
import io.ensign.api.plugin.PluginBindings;
import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.store.StoreUnavailableException;
import io.ensign.api.store.VersionConflictException;
import io.ensign.api.validation.ValidationException;
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
 * Experiments as documents of kind {@value ExperimentService#EXPERIMENT} in the {@link Store}, their events in the
 * {@link ExperimentEventStore}, and their analysis through whatever {@link StatisticalTest} plugins are installed,
 * looked up by name at each analysis so that a test can be replaced while experiments run.
 *
 * <p>Starting is serialized on this node so that two experiments on one flag and environment cannot both start;
 * every other write relies on the store's optimistic versions.
 *
 * <p>Every analysis records its results in the {@link ResultsHistory} when its input changed: a results read always
 * then, an auto-stop look after ingestion at most once per {@code autoStopHistoryIntervalSeconds}, and the look that
 * fires auto-stop in the same commit as the stop.
 */
@Component(service = {ExperimentService.class, PluginBindings.class}, configurationPid = StoredExperiments.PID)
@Designate(ocd = StoredExperiments.Config.class)
public final class StoredExperiments implements ExperimentService, PluginBindings {
    static final String PID = "io.ensign.experiments";
    static final int DEFAULT_HISTORY_POINTS = 500;
    static final int DEFAULT_HISTORY_INTERVAL_SECONDS = 60;

    /** How the results history is kept. */
    @ObjectClassDefinition(name = "Ensign experiments", description = "The results history of experiments")
    public @interface Config {
        @AttributeDefinition(description = "Points of results history kept live per experiment; beyond it each new "
                + "point thins an older one out, keeping the first and the newest (at least 3)")
        int historyMaximumPoints() default DEFAULT_HISTORY_POINTS;

        @AttributeDefinition(description = "Seconds an auto-stop look after an event batch waits since the newest "
                + "point before it records one (results reads record whenever the input changed; 0 records every "
                + "look; below 0 counts as 0)")
        int autoStopHistoryIntervalSeconds() default DEFAULT_HISTORY_INTERVAL_SECONDS;
    }

    private final Store store;
    private final FlagCatalog catalog;
    private final ExperimentEventStore events;
    private final Clock clock;
    private final ExperimentDocument documents = new ExperimentDocument();
    private final ExperimentValidation validation;
    private final ExperimentAnalysis analysis;
    private final ResultsHistory history;
    private final ReentrantLock startLock = new ReentrantLock();
    /** Held while a point is recorded, so this node's analyses record one at a time, in the order they ran. */
    private final ReentrantLock historyLock = new ReentrantLock();
    private volatile Duration lookInterval;
    /** Installed tests by name; the newest registration of a name is used. */
    private final Map<String, List<StatisticalTest>> tests = new ConcurrentHashMap<>();
    private final BoundServices boundPlugins = new BoundServices();

    @Activate
    public StoredExperiments(@Reference(target = Store.SELECTED) Store store, @Reference FlagCatalog catalog,
                             @Reference(target = Store.SELECTED) ExperimentEventStore events, Config config) {
        this(store, catalog, events, Clock.systemUTC(), config.historyMaximumPoints(), lookInterval(config));
    }

    StoredExperiments(Store store, FlagCatalog catalog, ExperimentEventStore events, Clock clock,
                      int historyPoints, Duration lookInterval) {
        this.store = store;
        this.catalog = catalog;
        this.events = events;
        this.clock = clock;
        this.validation = new ExperimentValidation(catalog);
        this.analysis = new ExperimentAnalysis(this::test, events::recordSequentialPValue);
        this.history = new ResultsHistory(store, historyPoints);
        this.lookInterval = lookInterval;
    }

    /** New settings apply to the next point. */
    @Modified
    void modified(Config config) {
        history.maximumPoints(config.historyMaximumPoints());
        lookInterval = lookInterval(config);
    }

    private static Duration lookInterval(Config config) {
        return Duration.ofSeconds(Math.max(0, config.autoStopHistoryIntervalSeconds()));
    }

    @Reference(service = StatisticalTest.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addTest(StatisticalTest test, Map<String, Object> properties) {
        if (properties.get(StatisticalTest.NAME) instanceof String name) {
            tests.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(test);
        }
        boundPlugins.bound(properties);
    }

    void removeTest(StatisticalTest test, Map<String, Object> properties) {
        boundPlugins.unbinding(properties);
        if (properties.get(StatisticalTest.NAME) instanceof String name) {
            tests.computeIfPresent(name, (n, list) -> {
                list.remove(test);
                return list.isEmpty() ? null : list;
            });
        }
    }

    @Override
    public boolean hasBound(long serviceId) {
        return boundPlugins.hasBound(serviceId);
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
        return stop(require(key), context.actor(), context, List.of());
    }

    /** Stops a running experiment, committing {@code alongside} (results history) in the same transaction. */
    private Experiment stop(Experiment current, String actor, WriteContext context, List<Mutation> alongside) {
        if (current.status() != ExperimentStatus.RUNNING) {
            throw new IllegalTransitionException(current.key(), current.status(), "stop");
        }
        Experiment stopped = current.withLifecycle(ExperimentStatus.ANALYSING, null, current.startedAt(),
                clock.instant(), actor);
        return commit(stopped, current.version(), "stop", actor, context, alongside);
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
                    .ifPresent(e -> analyse(e, lookInterval));
        }
        return new IngestResult(accepted, valid.size() - accepted, rejected);
    }

    @Override
    public Map<String, Object> results(String key) {
        return analyse(require(key), Duration.ZERO);
    }

    @Override
    public Map<String, Object> resultsHistory(String key, Instant since, int limit) {
        require(key);
        return history.read(key, since, limit);
    }

    /**
     * Analyses an experiment, records the results (when the input changed and the newest point is at least
     * {@code interval} old) and, when auto-stop fires, stops it in the same commit as its point; the document then
     * shows it analysing.
     */
    private Map<String, Object> analyse(Experiment experiment, Duration interval) {
        Map<String, VariantAggregate> aggregates = events.aggregates(experiment.key());
        ExperimentAnalysis.Results results = analysis.analyse(experiment, aggregates);
        Instant time = clock.instant();
        if (!results.decision().fire()) {
            record(experiment, aggregates, results.document(), time, interval);
            return results.document();
        }
        WriteContext context = new WriteContext(Experiment.AUTO_STOP_ACTOR, results.decision().reason(), null);
        Map<String, Object> document = new LinkedHashMap<>(results.document());
        document.put("status", ExperimentStatus.ANALYSING.jsonName());
        historyLock.lock();
        try {
            stop(experiment, Experiment.AUTO_STOP_ACTOR, context,
                    history.record(experiment, aggregates, document, time, Duration.ZERO));
            return document;
        } catch (VersionConflictException | IllegalTransitionException e) {
            // someone else changed the experiment (or its history) meanwhile; the next look decides again
            return results.document();
        } finally {
            historyLock.unlock();
        }
    }

    /**
     * Records a point of an analysis that changed nothing else. A conflict means another node recorded meanwhile,
     * so this one reads the head again; a store that cannot write now leaves the point out rather than fail the read.
     */
    private void record(Experiment experiment, Map<String, VariantAggregate> aggregates, Map<String, Object> document,
                        Instant time, Duration interval) {
        if (experiment.status() == ExperimentStatus.DRAFT) {
            return;
        }
        historyLock.lock();
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                List<Mutation> mutations = history.record(experiment, aggregates, document, time, interval);
                if (mutations.isEmpty()) {
                    return;
                }
                try {
                    store.commit(mutations);
                    return;
                } catch (VersionConflictException e) {
                    // read the head again: the other recorder may have recorded this input or a newer one
                }
            }
        } catch (StoreUnavailableException e) {
            // the results are still answered; the next analysis records them once the store takes writes
        } finally {
            historyLock.unlock();
        }
    }

    private Experiment require(String key) {
        return get(key).orElseThrow(() -> new NotFoundException(EXPERIMENT, key));
    }

    private Experiment commit(Experiment experiment, long expectedVersion, String action, String actor,
                              WriteContext context) {
        return commit(experiment, expectedVersion, action, actor, context, List.of());
    }

    /** Commits the experiment after {@code before}, so that its own audit record is the commit's last. */
    private Experiment commit(Experiment experiment, long expectedVersion, String action, String actor,
                              WriteContext context, List<Mutation> before) {
        List<Mutation> mutations = new ArrayList<>(before);
        mutations.add(new Mutation(EXPERIMENT, experiment.key(), experiment.environment(),
                documents.write(experiment), expectedVersion, action, actor, context.reason(), context.requestId()));
        Document document = store.commit(mutations).get(mutations.size() - 1);
        return experiment.withVersion(document.version());
    }
}
