package io.ensign.auth.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.auth.Authenticator;
import io.ensign.api.auth.Caller;
import io.ensign.api.auth.Role;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.store.VersionConflictException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The API tokens: issued, listed and revoked through the store (kind {@value #KIND}), looked up by the hash of
 * their secret in memory. The in-memory view follows the store through its change notifications, so a token
 * issued or revoked on another node takes effect here too. At activation it makes sure an admin can get in:
 * from the framework property {@value #ADMIN_TOKEN_PROPERTY}, else by generating a secret into the data
 * directory.
 */
@Component(service = {Authenticator.class, TokenRegistry.class})
public final class TokenRegistry implements Authenticator {
    /** Object kind of tokens in the store. */
    public static final String KIND = Authenticator.TOKEN_KIND;
    /** Id of the admin token made at first start. */
    public static final String BOOTSTRAP_ID = "bootstrap-admin";
    static final String ADMIN_TOKEN_PROPERTY = "ensign.admin.token";
    static final String DATA_PROPERTY = "ensign.data";
    static final String ADMIN_TOKEN_FILE = "admin-token";
    private static final String DEFAULT_DATA_DIRECTORY = "./data";
    private static final String TICKET_SEPARATOR = ".";
    private static final String SYSTEM_ACTOR = "ensign (bootstrap)";
    private static final System.Logger LOG = System.getLogger(TokenRegistry.class.getName());

    private final Store store;
    private final TokenSecrets secrets = new TokenSecrets();
    private final ObjectMapper mapper = new ObjectMapper();
    /** Every token id seen with its newest version; a revoked token stays as a null entry so stale reads cannot revive it. */
    private final Map<String, Revision> revisions = new HashMap<>();
    /** Rebuilt under the lock of {@link #revisions} on every change; read without locking on every request. */
    private volatile Map<String, ApiToken> byHash = Map.of();
    private final AutoCloseable subscription;

    private record Revision(ApiToken token, long version) {
    }

    /** A token just issued, with its secret: the only time the secret is known. */
    public record IssuedToken(ApiToken token, String secret) {
    }

    @Activate
    public TokenRegistry(@Reference(target = Store.SELECTED) Store store, BundleContext context) {
        this(store, context.getProperty(ADMIN_TOKEN_PROPERTY), dataDirectory(context.getProperty(DATA_PROPERTY)));
    }

    /**
     * Loads the tokens and makes sure an admin token exists.
     *
     * @param adminSecret   the secret the bootstrap admin token must have, or null to generate one if no admin exists
     * @param dataDirectory where a generated admin secret is written
     */
    TokenRegistry(Store store, String adminSecret, Path dataDirectory) {
        this.store = store;
        // Subscribe before loading so that no change falls between the two; versions sort out the overlap.
        this.subscription = store.subscribe(this::changed);
        store.list(KIND).forEach(this::apply);
        if (adminSecret != null && !adminSecret.isBlank()) {
            ensureBootstrapAdmin(adminSecret.strip());
        } else if (tokens().stream().noneMatch(t -> t.role() == Role.ADMIN)) {
            generateBootstrapAdmin(dataDirectory);
        }
    }

    @Deactivate
    void close() throws Exception {
        subscription.close();
    }

    @Override
    public Optional<Caller> authenticate(String secret) {
        String hash = TokenSecrets.hash(secret);
        ApiToken token = byHash.get(hash);
        return token != null && TokenSecrets.sameHash(token.hash(), hash) ? Optional.of(token) : Optional.empty();
    }

    /** {@inheritDoc} The ticket is {@code <token id>.<proof>}, the proof an HMAC of the purpose (TokenSecrets). */
    @Override
    public String ticket(Caller caller, String purpose) {
        ApiToken token = live(caller.id());
        if (token == null) {
            throw new IllegalArgumentException("no live token has id " + caller.id());
        }
        return token.id() + TICKET_SEPARATOR + TokenSecrets.ticketProof(token.hash(), purpose);
    }

    @Override
    public Optional<Caller> redeem(String ticket, String purpose) {
        int separator = ticket == null ? -1 : ticket.lastIndexOf(TICKET_SEPARATOR);
        if (separator <= 0) {
            return Optional.empty();
        }
        ApiToken token = live(ticket.substring(0, separator));
        if (token == null) {
            return Optional.empty();
        }
        String proof = TokenSecrets.ticketProof(token.hash(), purpose);
        return TokenSecrets.sameHash(proof, ticket.substring(separator + 1)) ? Optional.of(token) : Optional.empty();
    }

    private ApiToken live(String id) {
        synchronized (revisions) {
            Revision known = revisions.get(id);
            return known == null ? null : known.token();
        }
    }

    /** Every live token, ordered by id. */
    public List<ApiToken> tokens() {
        List<ApiToken> live = new ArrayList<>();
        synchronized (revisions) {
            revisions.values().stream().map(Revision::token).filter(t -> t != null).forEach(live::add);
        }
        live.sort(Comparator.comparing(ApiToken::id));
        return live;
    }

    /**
     * Issues a new token.
     *
     * @param environment the environment of an sdk token, null for other roles (the caller checks which)
     */
    public IssuedToken issue(String name, Role role, String environment, WriteContext context) {
        String secret = secrets.newSecret();
        ApiToken token = new ApiToken(secrets.newId(), name, role, environment, TokenSecrets.hash(secret),
                Instant.now());
        write(token, Mutation.ABSENT, context.actor(), context.reason(), context.requestId());
        return new IssuedToken(token, secret);
    }

    /** Revokes a token; false when no live token has this id. */
    public boolean revoke(String id, WriteContext context) {
        synchronized (revisions) {
            Revision revision = revisions.get(id);
            if (revision == null || revision.token() == null) {
                return false;
            }
        }
        List<Document> written = store.commit(List.of(new Mutation(KIND, id, null, null, Mutation.ANY_VERSION, null,
                context.actor(), context.reason(), context.requestId())));
        written.forEach(this::apply);
        return true;
    }

    private void ensureBootstrapAdmin(String secret) {
        String hash = TokenSecrets.hash(secret);
        ApiToken current;
        synchronized (revisions) {
            Revision revision = revisions.get(BOOTSTRAP_ID);
            current = revision == null ? null : revision.token();
        }
        if (current != null && current.role() == Role.ADMIN && TokenSecrets.sameHash(current.hash(), hash)) {
            return;
        }
        write(new ApiToken(BOOTSTRAP_ID, "bootstrap admin", Role.ADMIN, null, hash, Instant.now()),
                Mutation.ANY_VERSION, SYSTEM_ACTOR, "admin token from " + ADMIN_TOKEN_PROPERTY, null);
        LOG.log(System.Logger.Level.INFO, "admin token '" + BOOTSTRAP_ID + "' set from " + ADMIN_TOKEN_PROPERTY);
    }

    /** Writes the secret's file before the token exists, so no admin token can exist whose secret is lost. */
    private void generateBootstrapAdmin(Path dataDirectory) {
        String secret = secrets.newSecret();
        Path file = dataDirectory.resolve(ADMIN_TOKEN_FILE);
        writePrivateFile(file, secret + "\n");
        try {
            write(new ApiToken(BOOTSTRAP_ID, "bootstrap admin", Role.ADMIN, null, TokenSecrets.hash(secret),
                    Instant.now()), Mutation.ABSENT, SYSTEM_ACTOR, "first start: no admin token", null);
        } catch (VersionConflictException e) {
            // Another node sharing the store made it first; its secret is on that node.
            deleteQuietly(file);
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "no admin token was configured (" + ADMIN_TOKEN_PROPERTY
                + "); generated one, its secret is in " + file.toAbsolutePath());
    }

    private void write(ApiToken token, long expectedVersion, String actor, String reason, String requestId) {
        List<Document> written = store.commit(List.of(new Mutation(KIND, token.id(), token.environment(),
                encode(token), expectedVersion, null, actor, reason, requestId)));
        // The store notifies too, perhaps later; applying here makes the token usable when the caller returns.
        written.forEach(this::apply);
    }

    private void changed(AuditRecord record) {
        if (KIND.equals(record.kind())) {
            apply(record.key(), record.version(), record.after());
        }
    }

    private void apply(Document document) {
        apply(document.key(), document.version(), document.json());
    }

    private void apply(String id, long version, String json) {
        ApiToken token = json == null ? null : decode(id, json);
        synchronized (revisions) {
            Revision known = revisions.get(id);
            if (known != null && known.version() >= version) {
                return;
            }
            revisions.put(id, new Revision(token, version));
            Map<String, ApiToken> hashes = new HashMap<>();
            revisions.values().stream().map(Revision::token).filter(t -> t != null).forEach(t -> hashes.put(t.hash(), t));
            byHash = Map.copyOf(hashes);
        }
    }

    private String encode(ApiToken token) {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", token.id());
        o.put("name", token.name());
        o.put("role", token.role().jsonName());
        if (token.environment() != null) {
            o.put("environment", token.environment());
        }
        o.put("hash", token.hash());
        o.put("created", token.created().toString());
        return o.toString();
    }

    /** The token in a stored document, or null (and a log line) when the document is damaged. */
    private ApiToken decode(String id, String json) {
        try {
            JsonNode o = mapper.readTree(json);
            Role role = Role.fromJsonName(o.path("role").asText());
            String hash = o.path("hash").asText(null);
            if (role == null || hash == null) {
                throw new IllegalArgumentException("no valid role or hash");
            }
            String environment = o.hasNonNull("environment") ? o.get("environment").asText() : null;
            return new ApiToken(id, o.path("name").asText(id), role, environment, hash,
                    Instant.parse(o.path("created").asText(Instant.EPOCH.toString())));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "stored token '" + id + "' is damaged and is ignored", e);
            return null;
        }
    }

    private static Path dataDirectory(String property) {
        return Path.of(property == null || property.isBlank() ? DEFAULT_DATA_DIRECTORY : property);
    }

    /** Writes text readable by the owner only: created with mode 0600 so it is never briefly world-readable. */
    static void writePrivateFile(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
                Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
            }
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token file " + file, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + file, e);
        }
    }
}
