package io.ensign.config.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.config.ConfigDiff;
import io.ensign.api.config.ConfigDiff.Op;
import io.ensign.api.config.ConfigDiff.Operation;
import io.ensign.api.config.ConfigEntry;
import io.ensign.api.config.ConfigService;
import io.ensign.api.config.ResolvedEntry;
import io.ensign.api.plugin.BoundServices;
import io.ensign.api.plugin.PluginBindings;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.store.VersionConflictException;
import io.ensign.api.validation.Change;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.ValidationRule;
import io.ensign.api.validation.Violation;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Configuration entries kept in the {@link Store} as documents of kind {@value ConfigService#KIND}, one chain of
 * revisions per namespace, key and environment (see {@link StoredEntry} for the key scheme). Every write is
 * checked (names, environment, schema shape, then every applicable {@link ValidationRule}) and committed with
 * its audit record in one store commit; a promotion of many keys is one commit too.
 *
 * <p>Writes that carry no expected version are committed against the revision they were computed from and
 * recomputed when another writer got there first, so a concurrent write can neither be validated against a
 * stale state nor drop a secret flag.
 */
@Component(service = {ConfigService.class, PluginBindings.class})
public final class ConfigCatalog implements ConfigService, PluginBindings {
    static final String RULE = "config";
    static final String REFERENCE_RULE = "reference";
    static final String DATA_PROPERTY = "ensign.data";
    public static final String KEY_FILE = "secrets.key";
    private static final String DEFAULT_DATA_DIRECTORY = "./data";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final int ATTEMPTS = 5;
    /** What the type-stability rule looks for in a write that changes the value's type on purpose. */
    static final String ALLOW_TYPE_CHANGE = "allowTypeChange";

    private final Store store;
    private final FlagCatalog catalog;
    private final EntryCodec codec;
    private final ApplicableRules rules = new ApplicableRules();
    private final BoundServices boundPlugins = new BoundServices();

    @Activate
    public ConfigCatalog(@Reference(target = Store.SELECTED) Store store, @Reference FlagCatalog catalog, BundleContext context) {
        this(store, catalog, dataDirectory(context.getProperty(DATA_PROPERTY)).resolve(KEY_FILE));
    }

    /** The service without a framework (tests, here and where it is served over HTTP), its secrets key at keyFile. */
    public ConfigCatalog(Store store, FlagCatalog catalog, Path keyFile) {
        this.store = store;
        this.catalog = catalog;
        this.codec = new EntryCodec(new SecretCipher(keyFile));
    }

    static Path dataDirectory(String frameworkProperty) {
        return Path.of(frameworkProperty == null || frameworkProperty.isBlank() ? DEFAULT_DATA_DIRECTORY
                : frameworkProperty);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindRule(ValidationRule rule, Map<String, Object> properties) {
        rules.bind(rule, properties);
        boundPlugins.bound(properties);
    }

    void unbindRule(ValidationRule rule, Map<String, Object> properties) {
        boundPlugins.unbinding(properties);
        rules.unbind(rule);
    }

    @Override
    public boolean hasBound(long serviceId) {
        return boundPlugins.hasBound(serviceId);
    }

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<ConfigEntry> get(String namespace, String key, String environment, boolean revealSecrets) {
        return store.get(KIND, StoredEntry.storeKey(namespace, key, environment))
                .map(revision -> entry(revision, revealSecrets));
    }

    @Override
    public Map<String, ResolvedEntry> resolve(String namespace, String environment, boolean revealSecrets) {
        if (environment != null && catalog.environment(environment).isEmpty()) {
            throw new NotFoundException(FlagCatalog.ENVIRONMENT, environment);
        }
        Map<String, ResolvedEntry> resolved = new TreeMap<>();
        List<Document> revisions = namespaceRevisions(namespace);
        for (String layer : environment == null ? new String[] {null} : new String[] {null, environment}) {
            for (Document revision : revisions) {
                if (inEnvironment(revision, layer)) {
                    StoredEntry entry = codec.decode(revision, revealSecrets);
                    resolved.put(entry.key(), new ResolvedEntry(entry.key(), entry.value(), revision.version(),
                            layer == null ? GLOBAL : layer, entry.secret()));
                }
            }
        }
        return resolved;
    }

    @Override
    public List<String> namespaces() {
        TreeSet<String> names = new TreeSet<>();
        store.list(KIND).forEach(revision -> names.add(revision.key().substring(0, revision.key().indexOf('/'))));
        return List.copyOf(names);
    }

    @Override
    public List<ConfigEntry> history(String namespace, String key, String environment, boolean revealSecrets) {
        return store.history(KIND, StoredEntry.storeKey(namespace, key, environment)).stream()
                .filter(revision -> !revision.deleted())
                .map(revision -> entry(revision, revealSecrets))
                .toList();
    }

    @Override
    public ConfigDiff diff(String namespace, String key, String environment, long fromVersion, long toVersion,
                           boolean revealSecrets) {
        String storeKey = StoredEntry.storeKey(namespace, key, environment);
        List<Document> revisions = store.history(KIND, storeKey);
        StoredEntry from = clearOrNone(revision(revisions, storeKey, fromVersion));
        StoredEntry to = clearOrNone(revision(revisions, storeKey, toVersion));
        boolean redact = !revealSecrets && (from != null && from.secret() || to != null && to.secret());
        if (!redact) {
            return new ConfigDiff(fromVersion, toVersion, JsonDiff.between(content(from), content(to)));
        }
        // Say that a secret changed without saying from what to what.
        List<Operation> operations = new ArrayList<>();
        if (from != null && to != null && !Objects.equals(from.value(), to.value())) {
            operations.add(new Operation(Op.REPLACE, "/value", REDACTED, REDACTED));
        }
        operations.addAll(JsonDiff.between(content(redacted(from)), content(redacted(to))));
        return new ConfigDiff(fromVersion, toVersion, operations);
    }

    // ------------------------------------------------------------------ writes

    @Override
    public WriteResult<ConfigEntry> put(String namespace, String key, String environment, Object value,
                                        Object schema, Boolean secret, boolean allowTypeChange, long expectedVersion,
                                        WriteContext context) {
        List<Violation> violations = names(namespace, key);
        checkEnvironment(environment, "/environment", violations);
        if (schema != null && !(schema instanceof Map)) {
            violations.add(Violation.error(RULE, "/schema", "schema must be a JSON Schema object"));
        }
        refuseIfAny(violations);
        Object clearValue = EntryCodec.plain(value);
        Map<String, Object> givenSchema = schema == null ? null : objectOf(EntryCodec.plain(schema));
        Committed committed = commit(List.of(new PlannedWrite(namespace, key, environment, before -> {
            StoredEntry global = environment == null ? null : current(namespace, key, null, false).orElse(null);
            Map<String, Object> schemaAfter = givenSchema != null ? (givenSchema.isEmpty() ? null : givenSchema)
                    : before != null ? before.schema() : global != null ? global.schema() : null;
            boolean secretAfter = secret != null ? secret
                    : before != null && before.secret() || global != null && global.secret();
            return new StoredEntry(namespace, key, environment, clearValue, schemaAfter, secretAfter,
                    context.actor(), context.reason());
        }, expectedVersion, "", allowTypeChange)), null, context);
        return committed.result(0);
    }

    @Override
    public WriteResult<ConfigEntry> rollback(String namespace, String key, String environment, long version,
                                             WriteContext context) {
        List<Violation> violations = names(namespace, key);
        checkEnvironment(environment, "/environment", violations);
        refuseIfAny(violations);
        String storeKey = StoredEntry.storeKey(namespace, key, environment);
        Document old = revision(store.history(KIND, storeKey), storeKey, version);
        if (old.deleted()) {
            throw new NotFoundException(KIND, storeKey + " version " + version);
        }
        StoredEntry source = codec.decode(old, true);
        return commit(List.of(new PlannedWrite(namespace, key, environment,
                before -> copy(source, environment, before, context), Mutation.ANY_VERSION, "", false)), "rollback",
                context)
                .result(0);
    }

    @Override
    public void delete(String namespace, String key, String environment, long expectedVersion,
                       WriteContext context) {
        String storeKey = StoredEntry.storeKey(namespace, key, environment);
        commit(List.of(new PlannedWrite(namespace, key, environment, before -> {
            if (before == null) {
                throw new NotFoundException(KIND, storeKey);
            }
            return null;
        }, expectedVersion, "", false)), null, context);
    }

    @Override
    public List<ConfigEntry> promote(String namespace, String key, String fromEnvironment, String toEnvironment,
                                     WriteContext context) {
        List<Violation> violations = new ArrayList<>();
        checkName("namespace", namespace, violations);
        if (key != null) {
            checkName("key", key, violations);
        }
        checkEnvironment(fromEnvironment, "/fromEnvironment", violations);
        checkEnvironment(toEnvironment, "/toEnvironment", violations);
        if (Objects.equals(fromEnvironment, toEnvironment)) {
            violations.add(Violation.error(RULE, "/toEnvironment", "a promotion needs two different environments"));
        }
        refuseIfAny(violations);
        List<StoredEntry> sources = key != null
                ? current(namespace, key, fromEnvironment, true).map(List::of).orElse(List.of())
                : namespaceRevisions(namespace).stream()
                        .filter(revision -> inEnvironment(revision, fromEnvironment))
                        .map(revision -> codec.decode(revision, true))
                        .toList();
        if (sources.isEmpty()) {
            throw new NotFoundException(KIND, key != null ? StoredEntry.storeKey(namespace, key, fromEnvironment)
                    : StoredEntry.namespacePrefix(namespace) + "*@" + environmentMark(fromEnvironment));
        }
        List<PlannedWrite> plans = sources.stream()
                .map(source -> new PlannedWrite(namespace, source.key(), toEnvironment,
                        before -> copy(source, toEnvironment, before, context), Mutation.ANY_VERSION,
                        key == null ? "/" + JsonDiff.escape(source.key()) : "", false))
                .toList();
        Committed committed = commit(plans, "promote", context);
        List<ConfigEntry> written = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            written.add(committed.result(i).value());
        }
        return written;
    }

    /** {@code source}'s value, schema and secret flag as a new revision of another entry, which stays secret if it was. */
    private static StoredEntry copy(StoredEntry source, String environment, StoredEntry before,
                                    WriteContext context) {
        return new StoredEntry(source.namespace(), source.key(), environment, source.value(), source.schema(),
                source.secret() || before != null && before.secret(), context.actor(), context.reason());
    }

    /**
     * Computes, validates and commits the writes in one store commit. A write without an expected version is
     * conditioned on the revision it was computed from; if another writer changed it meanwhile, all are
     * computed again.
     */
    private Committed commit(List<PlannedWrite> plans, String action, WriteContext context) {
        for (int attempt = 1; ; attempt++) {
            List<Mutation> mutations = new ArrayList<>();
            List<StoredEntry> afters = new ArrayList<>();
            List<Boolean> created = new ArrayList<>();
            List<Violation> errors = new ArrayList<>();
            List<Violation> warnings = new ArrayList<>();
            for (PlannedWrite plan : plans) {
                Optional<Document> current = store.get(KIND, plan.storeKey());
                StoredEntry before = current.map(revision -> codec.decode(revision, true)).orElse(null);
                StoredEntry after = plan.next().apply(before);
                ApplicableRules.Verdict verdict = rules.consult(new Change(KIND, plan.namespace() + "/" + plan.key(),
                        plan.environment(), before == null ? null : before.document(before.value()),
                        after == null ? null : validated(after, plan.allowTypeChange()), context.actor(),
                        context.reason()));
                errors.addAll(prefixed(verdict.errors(), plan.fieldPrefix()));
                warnings.addAll(prefixed(verdict.warnings(), plan.fieldPrefix()));
                long expected = plan.expectedVersion() != Mutation.ANY_VERSION ? plan.expectedVersion()
                        : current.map(Document::version).orElse(Mutation.ABSENT);
                mutations.add(new Mutation(KIND, plan.storeKey(), plan.environment(),
                        after == null ? null : codec.encode(after), expected, action, context.actor(),
                        context.reason(), context.requestId()));
                afters.add(after);
                created.add(current.isEmpty());
            }
            refuseIfAny(errors);
            try {
                return new Committed(store.commit(mutations), afters, created, warnings);
            } catch (VersionConflictException e) {
                boolean ours = plans.stream().anyMatch(plan -> plan.storeKey().equals(e.key())
                        && plan.expectedVersion() == Mutation.ANY_VERSION);
                if (!ours || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The document rules see for a write; the type-change permission travels with it but is never stored. */
    private static Map<String, Object> validated(StoredEntry after, boolean allowTypeChange) {
        Map<String, Object> document = after.document(after.value());
        if (allowTypeChange) {
            document.put(ALLOW_TYPE_CHANGE, true);
        }
        return document;
    }

    private ConfigEntry entry(Document revision, boolean revealSecrets) {
        return codec.decode(revision, revealSecrets).toEntry(revision);
    }

    private Optional<StoredEntry> current(String namespace, String key, String environment, boolean reveal) {
        return store.get(KIND, StoredEntry.storeKey(namespace, key, environment))
                .map(revision -> codec.decode(revision, reveal));
    }

    private StoredEntry clearOrNone(Document revision) {
        return revision.deleted() ? null : codec.decode(revision, true);
    }

    private static Document revision(List<Document> revisions, String storeKey, long version) {
        if (revisions.isEmpty()) {
            throw new NotFoundException(KIND, storeKey);
        }
        return revisions.stream().filter(revision -> revision.version() == version).findFirst()
                .orElseThrow(() -> new NotFoundException(KIND, storeKey + " version " + version));
    }

    private static Map<String, Object> content(StoredEntry entry) {
        return entry == null ? null : entry.content();
    }

    private static StoredEntry redacted(StoredEntry entry) {
        return entry == null ? null : new StoredEntry(entry.namespace(), entry.key(), entry.environment(), REDACTED,
                entry.schema(), entry.secret(), entry.actor(), entry.reason());
    }

    private List<Document> namespaceRevisions(String namespace) {
        String prefix = StoredEntry.namespacePrefix(namespace);
        return store.list(KIND).stream().filter(revision -> revision.key().startsWith(prefix)).toList();
    }

    /** Whether a revision's store key names {@code environment}; the first {@code @} ends the key part. */
    private static boolean inEnvironment(Document revision, String environment) {
        String storeKey = revision.key();
        return storeKey.substring(storeKey.indexOf('@') + 1).equals(environmentMark(environment));
    }

    private static String environmentMark(String environment) {
        return environment == null ? StoredEntry.GLOBAL_MARK : environment;
    }

    private static List<Violation> names(String namespace, String key) {
        List<Violation> violations = new ArrayList<>();
        checkName("namespace", namespace, violations);
        checkName("key", key, violations);
        return violations;
    }

    private static void checkName(String what, String name, List<Violation> violations) {
        if (name == null || !NAME.matcher(name).matches()) {
            violations.add(Violation.error(RULE, "/" + what, what + " must match " + NAME_PATTERN));
        }
    }

    private void checkEnvironment(String environment, String field, List<Violation> violations) {
        if (environment != null && catalog.environment(environment).isEmpty()) {
            violations.add(Violation.error(REFERENCE_RULE, field, "environment '" + environment + "' does not exist"));
        }
    }

    private static void refuseIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }

    /** Violations of one entry of a promotion, with their pointers under the entry's key. */
    private static List<Violation> prefixed(List<Violation> violations, String prefix) {
        if (prefix.isEmpty()) {
            return violations;
        }
        return violations.stream()
                .map(v -> new Violation(v.rule(), prefix + v.field(), v.message(), v.severity()))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectOf(Object plain) {
        return new LinkedHashMap<>((Map<String, Object>) plain);
    }

    /**
     * One entry to write: its new content from its current one (null when it does not exist; the result null
     * deletes it), the expected version ({@link Mutation#ANY_VERSION} for none) and whether the writer changes the
     * value's type on purpose.
     */
    private record PlannedWrite(String namespace, String key, String environment, UnaryOperator<StoredEntry> next,
                                long expectedVersion, String fieldPrefix, boolean allowTypeChange) {
        String storeKey() {
            return StoredEntry.storeKey(namespace, key, environment);
        }
    }

    /** What one commit stored, entry by entry, and the warnings it passed with. */
    private record Committed(List<Document> revisions, List<StoredEntry> entries, List<Boolean> created,
                             List<Violation> warnings) {
        /** Secret values come back redacted: the writer has them already, and results travel further than reads. */
        WriteResult<ConfigEntry> result(int index) {
            StoredEntry entry = entries.get(index);
            StoredEntry shown = entry.secret() ? redacted(entry) : entry;
            return new WriteResult<>(shown.toEntry(revisions.get(index)), created.get(index), warnings);
        }
    }
}
