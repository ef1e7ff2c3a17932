package io.ensign.api.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads and writes configuration. A key of a namespace has a global value and may have a value per environment
 * that takes precedence over it; each of those is an entry with its own chain of versions.
 *
 * <p>Names: namespaces and keys match {@value #NAME_PATTERN}. {@code environment} null means the global entry;
 * any other environment must exist in the {@link io.ensign.api.catalog.FlagCatalog}.
 * {@code expectedVersion} is {@link io.ensign.api.store.Mutation#ANY_VERSION} for an unconditional write,
 * {@link io.ensign.api.store.Mutation#ABSENT} for create-only, else the version read.
 *
 * <p>Secrets: an entry written with {@code secret = true} stays secret (a later write that omits the flag keeps
 * it, and an environment entry of a key whose global entry is secret is secret too). Its value is stored
 * encrypted, so the store and the audit trail never hold it in clear; readers get {@link #REDACTED} unless they
 * ask to reveal it, which callers allow only to roles entitled to see secrets. Write results carry secret values
 * redacted: the writer has the value already.
 *
 * <p>Writes throw {@link io.ensign.api.validation.ValidationException} (nothing stored; bad names, unknown
 * environment, a schema that is not an object, or an error from a validation rule),
 * {@link io.ensign.api.store.VersionConflictException} or {@link io.ensign.api.catalog.NotFoundException}.
 */
@ProviderType
public interface ConfigService {
    /** Object kind of configuration entries in the store and the audit trail. */
    String KIND = "config";
    /** The origin of a value that comes from the global entry. */
    String GLOBAL = "global";
    /** What a secret value reads as when it is not revealed. */
    String REDACTED = "********";
    /** What namespace and key names look like. */
    String NAME_PATTERN = "[A-Za-z0-9_.-]{1,128}";

    /**
     * Writes a new version of an entry.
     *
     * @param value  the JSON value as plain Java
     * @param schema a JSON Schema object the value must satisfy; null keeps the entry's schema (or, for a new
     *               environment entry, takes the global entry's); an empty object removes it
     * @param secret true or false to set, null to keep the entry's setting (see the class comment)
     */
    default WriteResult<ConfigEntry> put(String namespace, String key, String environment, Object value,
                                         Object schema, Boolean secret, long expectedVersion, WriteContext context) {
        return put(namespace, key, environment, value, schema, secret, false, expectedVersion, context);
    }

    /**
     * Writes a new version of an entry, saying whether the write may change the JSON type of the value on purpose.
     * Validation rules see {@code "allowTypeChange": true} in the written document when it may; it is not stored.
     *
     * @param allowTypeChange true when the writer means to change the value's type (number to string...)
     * @see #put(String, String, String, Object, Object, Boolean, long, WriteContext)
     */
    WriteResult<ConfigEntry> put(String namespace, String key, String environment, Object value, Object schema,
                                 Boolean secret, boolean allowTypeChange, long expectedVersion, WriteContext context);

    /** The current version of one entry as stored (no resolution); empty when it does not exist. */
    Optional<ConfigEntry> get(String namespace, String key, String environment, boolean revealSecrets);

    /**
     * The namespace as an environment sees it: every key with its environment entry where there is one, else
     * its global entry, ordered by key. {@code environment} null gives the global entries alone.
     */
    Map<String, ResolvedEntry> resolve(String namespace, String environment, boolean revealSecrets);

    /** Every namespace holding at least one entry, sorted. */
    List<String> namespaces();

    /**
     * Every version of an entry, oldest first. Deletions are not listed: a version number missing from the list
     * is the deletion that took its place (the audit trail records who deleted and why).
     */
    List<ConfigEntry> history(String namespace, String key, String environment, boolean revealSecrets);

    /** Writes a new version of an entry whose value and schema are those of an older version; validated as a write. */
    WriteResult<ConfigEntry> rollback(String namespace, String key, String environment, long version,
                                      WriteContext context);

    /** Deletes an entry; its history stays. */
    void delete(String namespace, String key, String environment, long expectedVersion, WriteContext context);

    /** What changed from one version of an entry to another (either may be the older). */
    ConfigDiff diff(String namespace, String key, String environment, long fromVersion, long toVersion,
                    boolean revealSecrets);

    /**
     * Copies entries of one environment to another in one change: the entry of {@code key}, or with {@code key}
     * null every entry the namespace has in {@code fromEnvironment}. Value, schema and secret flag are copied;
     * keys the source only inherits from the global entry are not. Each copy is validated as a write; any error
     * refuses them all. Either environment may be null for the global entries.
     *
     * @return the entries written, ordered by key
     */
    List<ConfigEntry> promote(String namespace, String key, String fromEnvironment, String toEnvironment,
                              WriteContext context);
}
