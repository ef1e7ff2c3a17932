package io.ensign.engine.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.assignment.PartialAssignmentStrategy;
import io.ensign.api.catalog.CreatedAll;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.model.Condition;
import io.ensign.api.model.Environment;
import io.ensign.api.model.Flag;
import io.ensign.api.model.Rule;
import io.ensign.api.model.Segment;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.validation.Change;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.ValidationRule;
import io.ensign.api.validation.Violation;
import io.ensign.codec.ModelCodec;
import io.ensign.codec.PlainValues;
import io.ensign.evaluation.PluginFailure;
import io.ensign.evaluation.PluginGuard;
import io.ensign.evaluation.PluginRegistry;
import io.ensign.evaluation.SnapshotCompiler;

/**
 * The write path of the catalog: references to segments, environments and plugins checked, operands
 * compiled by their operators, every validation rule for the kind consulted, then one store commit with
 * its audit record. Any error violation refuses the write before anything is stored.
 */
final class CatalogWrites {
    static final String REFERENCE_RULE = "reference";
    static final List<String> DEFAULT_ENVIRONMENTS = List.of("development", "staging", "production");
    private static final String SYSTEM_ACTOR = "system";

    private final Store store;
    private final ModelCodec codec;
    private final StateReader state;
    private final PluginRegistry<EvaluationOperator> operators;
    private final PluginRegistry<AssignmentStrategy> strategies;
    private final PluginRegistry<ValidationRule> validationRules;
    private final PluginGuard guard;

    CatalogWrites(Store store, ModelCodec codec, StateReader state, PluginRegistry<EvaluationOperator> operators,
                  PluginRegistry<AssignmentStrategy> strategies, PluginRegistry<ValidationRule> validationRules,
                  PluginGuard guard) {
        this.store = store;
        this.codec = codec;
        this.state = state;
        this.operators = operators;
        this.strategies = strategies;
        this.validationRules = validationRules;
        this.guard = guard;
    }

    /** A new server has development, staging and production. */
    void createDefaultEnvironments() {
        if (!store.list(FlagCatalog.ENVIRONMENT).isEmpty()) {
            return;
        }
        List<Mutation> mutations = new ArrayList<>();
        for (String name : DEFAULT_ENVIRONMENTS) {
            mutations.add(new Mutation(FlagCatalog.ENVIRONMENT, name, null,
                    codec.write(codec.encodeEnvironment(new Environment(name, null, 0))), Mutation.ABSENT, null,
                    SYSTEM_ACTOR, "default environments of a new server", null));
        }
        try {
            store.commit(mutations);
        } catch (io.ensign.api.store.VersionConflictException e) {
            // another node created them first
        }
    }

    WriteResult<Flag> putFlag(Flag flag, long expectedVersion, WriteContext context) {
        List<Violation> violations = new ArrayList<>();
        JsonNode json = checkFlag(flag, Set.of(), violations);
        Written written = write(FlagCatalog.FLAG, flag.key(), json, expectedVersion, context, violations);
        return written.result(flag.withVersion(written.version()));
    }

    /** Checks a flag's references and shape, {@code pendingSegments} counting as existing; returns its JSON. */
    private JsonNode checkFlag(Flag flag, Set<String> pendingSegments, List<Violation> violations) {
        flag.environments().keySet().forEach(env -> {
            if (store.get(FlagCatalog.ENVIRONMENT, env).isEmpty()) {
                violations.add(reference("/environments/" + escape(env), "environment '" + env + "' does not exist"));
            }
        });
        checkRules(flag.rules(), "/rules", pendingSegments, violations);
        flag.environments().forEach((env, e) -> {
            if (e.rules() != null) {
                checkRules(e.rules(), "/environments/" + escape(env) + "/rules", pendingSegments, violations);
            }
        });
        JsonNode json = codec.encodeFlag(flag);
        readableBack(() -> codec.decodeFlag(json, flag.key(), 0), violations);
        return json;
    }

    /** Checks a segment's operands and shape; returns its JSON. */
    private JsonNode checkSegment(Segment segment, List<Violation> violations) {
        checkConditions(segment.conditions(), "/conditions", violations);
        JsonNode json = codec.encodeSegment(segment);
        readableBack(() -> codec.decodeSegment(json, segment.key(), 0), violations);
        return json;
    }

    /**
     * Creates every segment and flag in one commit or none: all are checked first, each violation's field prefixed
     * with the object's place in the batch, and a key given twice is a violation too.
     */
    CreatedAll createAll(List<Segment> segments, List<Flag> flags, WriteContext context) {
        List<Violation> violations = new ArrayList<>();
        List<Prepared> prepared = new ArrayList<>();
        Set<String> segmentKeys = new HashSet<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            List<Violation> found = new ArrayList<>();
            JsonNode json = checkSegment(segment, found);
            unique(segmentKeys, segment.key(), found);
            prepared.add(prepare(FlagCatalog.SEGMENT, segment.key(), json, context, found));
            String at = "/segments/" + i;
            found.forEach(v -> violations.add(within(at, v)));
        }
        Set<String> flagKeys = new HashSet<>();
        for (int i = 0; i < flags.size(); i++) {
            Flag flag = flags.get(i);
            List<Violation> found = new ArrayList<>();
            JsonNode json = checkFlag(flag, segmentKeys, found);
            unique(flagKeys, flag.key(), found);
            prepared.add(prepare(FlagCatalog.FLAG, flag.key(), json, context, found));
            String at = "/flags/" + i;
            found.forEach(v -> violations.add(within(at, v)));
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        List<Document> written = store.commit(prepared.stream()
                .map(p -> new Mutation(p.kind(), p.key(), null, codec.write(p.json()), Mutation.ABSENT, null,
                        context.actor(), context.reason(), context.requestId()))
                .toList());
        List<WriteResult<Segment>> createdSegments = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            createdSegments.add(new WriteResult<>(segments.get(i).withVersion(written.get(i).version()), true,
                    prepared.get(i).warnings()));
        }
        List<WriteResult<Flag>> createdFlags = new ArrayList<>();
        for (int i = 0; i < flags.size(); i++) {
            int at = segments.size() + i;
            createdFlags.add(new WriteResult<>(flags.get(i).withVersion(written.get(at).version()), true,
                    prepared.get(at).warnings()));
        }
        return new CreatedAll(createdSegments, createdFlags);
    }

    private static void unique(Set<String> keys, String key, List<Violation> violations) {
        if (!keys.add(key)) {
            violations.add(reference("/key", "'" + key + "' is given twice"));
        }
    }

    private static Violation within(String prefix, Violation violation) {
        return new Violation(violation.rule(), prefix + violation.field(), violation.message(), violation.severity());
    }

    WriteResult<Segment> putSegment(Segment segment, long expectedVersion, WriteContext context) {
        List<Violation> violations = new ArrayList<>();
        JsonNode json = checkSegment(segment, violations);
        Written written = write(FlagCatalog.SEGMENT, segment.key(), json, expectedVersion, context, violations);
        return written.result(segment.withVersion(written.version()));
    }

    WriteResult<Environment> putEnvironment(Environment environment, long expectedVersion, WriteContext context) {
        List<Violation> violations = new ArrayList<>();
        JsonNode json = codec.encodeEnvironment(environment);
        readableBack(() -> codec.decodeEnvironment(json, environment.name(), 0), violations);
        Written written = write(FlagCatalog.ENVIRONMENT, environment.name(), json, expectedVersion, context,
                violations);
        return written.result(environment.withVersion(written.version()));
    }

    void deleteSegment(String key, long expectedVersion, WriteContext context) {
        List<String> users = state.flags().stream()
                .filter(f -> usesSegment(f, key))
                .map(Flag::key)
                .collect(Collectors.toList());
        if (!users.isEmpty()) {
            throw new ValidationException(List.of(reference("",
                    "segment '" + key + "' is used by flags " + String.join(", ", users))));
        }
        delete(FlagCatalog.SEGMENT, key, expectedVersion, context);
    }

    void delete(String kind, String key, long expectedVersion, WriteContext context) {
        Document before = store.get(kind, key).orElseThrow(() -> new NotFoundException(kind, key));
        List<Violation> violations = new ArrayList<>();
        List<Violation> warnings = new ArrayList<>();
        consultRules(new Change(kind, key, null, PlainValues.toJava(codec.readTree(before.json())), null,
                context.actor(), context.reason()), violations, warnings);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        store.commit(List.of(new Mutation(kind, key, null, null, expectedVersion, null, context.actor(),
                context.reason(), context.requestId())));
    }

    private static boolean usesSegment(Flag flag, String segment) {
        if (flag.rules().stream().anyMatch(r -> segment.equals(r.segment()))) {
            return true;
        }
        return flag.environments().values().stream()
                .anyMatch(e -> e.rules() != null && e.rules().stream().anyMatch(r -> segment.equals(r.segment())));
    }

    /**
     * Adds what the codec refuses in the JSON about to be stored: a caller of the catalog that builds its model
     * by hand (not from a decoded request) must not store an object every later snapshot build fails to read.
     */
    private static void readableBack(Runnable decode, List<Violation> violations) {
        try {
            decode.run();
        } catch (ValidationException unreadable) {
            violations.addAll(unreadable.violations());
        }
    }

    private Written write(String kind, String key, JsonNode json, long expectedVersion, WriteContext context,
                           List<Violation> violations) {
        Prepared prepared = prepare(kind, key, json, context, violations);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        Document written = store.commit(List.of(new Mutation(kind, key, null, codec.write(json), expectedVersion,
                null, context.actor(), context.reason(), context.requestId()))).get(0);
        return new Written(written.version(), prepared.created(), prepared.warnings());
    }

    /** Consults the validation rules on the change from the stored revision; errors go to {@code violations}. */
    private Prepared prepare(String kind, String key, JsonNode json, WriteContext context, List<Violation> violations) {
        Optional<Document> before = store.get(kind, key);
        List<Violation> warnings = new ArrayList<>();
        Object beforeValue = before.map(d -> PlainValues.toJava(codec.readTree(d.json()))).orElse(null);
        consultRules(new Change(kind, key, null, beforeValue, PlainValues.toJava(json), context.actor(),
                context.reason()), violations, warnings);
        return new Prepared(kind, key, json, before.isEmpty(), warnings);
    }

    /** One object checked and about to be written. */
    private record Prepared(String kind, String key, JsonNode json, boolean created, List<Violation> warnings) {
    }

    /** What a write stored: the new version, whether it created the object, and the warnings it passed. */
    private record Written(long version, boolean created, List<Violation> warnings) {
        <T> WriteResult<T> result(T value) {
            return new WriteResult<>(value, created, warnings);
        }
    }

    private void consultRules(Change change, List<Violation> errors, List<Violation> warnings) {
        for (PluginRegistry.Entry<ValidationRule> entry : validationRules.liveEntries()) {
            if (!appliesTo(entry, change.kind())) {
                continue;
            }
            try {
                List<Violation> found = entry.service().validate(change);
                if (found != null) {
                    found.forEach(v -> (v.severity() == Violation.Severity.WARNING ? warnings : errors).add(v));
                }
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                // A plugin's bug, a stack it exhausts, a class its departed bundle took along: that rule's failure,
                // not the server's. Other errors (out of memory) are the server's and propagate.
                errors.add(Violation.error(entry.name(), "", "validation rule '" + entry.name() + "' failed: " + e));
            }
        }
    }

    private static boolean appliesTo(PluginRegistry.Entry<ValidationRule> entry, String kind) {
        Object kinds = entry.properties().get(ValidationRule.KINDS);
        if (kinds == null) {
            return true;
        }
        if (kinds instanceof String s) {
            return s.equals(kind);
        }
        if (kinds instanceof String[] a) {
            return List.of(a).contains(kind);
        }
        if (kinds instanceof java.util.Collection<?> c) {
            return c.contains(kind);
        }
        return false;
    }

    private void checkRules(List<Rule> rules, String pointer, Set<String> pendingSegments,
                            List<Violation> violations) {
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String at = pointer + "/" + i;
            if (rule.segment() != null && !pendingSegments.contains(rule.segment())
                    && store.get(FlagCatalog.SEGMENT, rule.segment()).isEmpty()) {
                violations.add(reference(at + "/segment", "segment '" + rule.segment() + "' does not exist"));
            }
            checkConditions(rule.conditions(), at + "/conditions", violations);
            if (rule.rollout() != null) {
                var strategy = strategies.resolve(rule.rollout().strategy());
                if (strategy.isEmpty()) {
                    violations.add(reference(at + "/rollout/strategy",
                            "assignment strategy '" + rule.rollout().strategy() + "' is not installed"));
                } else if (rule.rollout().coverage() != null
                        && !(strategy.get().service() instanceof PartialAssignmentStrategy)) {
                    violations.add(reference(at + "/rollout/coverage",
                            SnapshotCompiler.noCoverage(rule.rollout().strategy())));
                }
            }
        }
    }

    private void checkConditions(List<Condition> conditions, String pointer, List<Violation> violations) {
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            String at = pointer + "/" + i;
            var operator = operators.resolve(c.operator());
            if (operator.isEmpty()) {
                violations.add(reference(at + "/operator", "operator '" + c.operator() + "' is not installed"));
                continue;
            }
            EvaluationOperator service = operator.get().service();
            try {
                guard.call(guard.health(SnapshotCompiler.OPERATOR, c.operator(), service),
                        () -> service.compile(c.values()));
            } catch (PluginFailure e) {
                // As for rules: an operator plugin's failure to compile its values refuses the write, never fails it.
                violations.add(Violation.error(c.operator(), at + "/values", e.getMessage()));
            }
        }
    }

    private static Violation reference(String field, String message) {
        return Violation.error(REFERENCE_RULE, field, message);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
