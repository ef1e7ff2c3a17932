package io.ensign.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import io.ensign.api.auth.Caller;
import io.ensign.api.auth.Role;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.store.Mutation;
import io.ensign.testing.fakes.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenRegistryTest {
    private static final WriteContext BY_TEST = new WriteContext("test", null, null);
    private final InMemoryStore store = new InMemoryStore();
    @TempDir
    Path data;

    @Test
    void hashIsTheHexSha256OfTheSecret() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenSecrets.hash("abc"));
    }

    @Test
    void secretsAreLongRandomAndPrefixed() {
        TokenSecrets secrets = new TokenSecrets();
        String a = secrets.newSecret();
        assertTrue(a.startsWith("ens_"));
        assertEquals(4 + 43, a.length(), "32 bytes in unpadded base64url are 43 characters");
        assertNotEquals(a, secrets.newSecret());
    }

    @Test
    void configuredAdminSecretAuthenticatesAsBootstrapAdmin() {
        TokenRegistry registry = new TokenRegistry(store, "ens_configured", data);
        Caller admin = registry.authenticate("ens_configured").orElseThrow();
        assertEquals(TokenRegistry.BOOTSTRAP_ID, admin.id());
        assertEquals(Role.ADMIN, admin.role());
        assertTrue(registry.authenticate("ens_other").isEmpty());
        assertFalse(Files.exists(data.resolve("admin-token")));
    }

    @Test
    void storesOnlyTheHashOfTheAdminSecret() {
        new TokenRegistry(store, "ens_configured", data);
        String json = store.get("token", TokenRegistry.BOOTSTRAP_ID).orElseThrow().json();
        assertFalse(json.contains("ens_configured"));
        assertTrue(json.contains(TokenSecrets.hash("ens_configured")));
    }

    @Test
    void aChangedAdminSecretReplacesTheOldOneAtTheNextStart() {
        new TokenRegistry(store, "ens_first", data);
        TokenRegistry restarted = new TokenRegistry(store, "ens_second", data);
        assertTrue(restarted.authenticate("ens_first").isEmpty());
        assertTrue(restarted.authenticate("ens_second").isPresent());
        assertEquals(2, store.get("token", TokenRegistry.BOOTSTRAP_ID).orElseThrow().version());
        new TokenRegistry(store, "ens_second", data);
        assertEquals(2, store.get("token", TokenRegistry.BOOTSTRAP_ID).orElseThrow().version(), "unchanged: no write");
    }

    @Test
    void withoutConfiguredSecretAGeneratedOneIsWrittenOwnerOnly() throws Exception {
        TokenRegistry registry = new TokenRegistry(store, null, data.resolve("nested/dir"));
        Path file = data.resolve("nested/dir/admin-token");
        String secret = Files.readString(file).strip();
        assertEquals(Role.ADMIN, registry.authenticate(secret).orElseThrow().role());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void noSecretIsGeneratedWhenAnAdminTokenExists() {
        new TokenRegistry(store, "ens_configured", data);
        new TokenRegistry(store, null, data);
        assertFalse(Files.exists(data.resolve("admin-token")));
    }

    @Test
    void issuedTokensAuthenticateUntilRevoked() {
        TokenRegistry registry = new TokenRegistry(store, "ens_admin", data);
        TokenRegistry.IssuedToken issued = registry.issue("ci", Role.SDK, "staging", BY_TEST);
        Caller token = registry.authenticate(issued.secret()).orElseThrow();
        assertEquals("staging", token.environment());
        assertEquals("ci (" + token.id() + ")", token.actor());
        assertTrue(registry.revoke(token.id(), BY_TEST));
        assertTrue(registry.authenticate(issued.secret()).isEmpty());
        assertFalse(registry.revoke(token.id(), BY_TEST));
    }

    @Test
    void followsTokensWrittenByAnotherNode() {
        TokenRegistry registry = new TokenRegistry(store, "ens_admin", data);
        TokenRegistry other = new TokenRegistry(store, "ens_admin", data);
        String secret = other.issue("elsewhere", Role.VIEWER, null, BY_TEST).secret();
        assertEquals(Role.VIEWER, registry.authenticate(secret).orElseThrow().role());
        String id = registry.authenticate(secret).orElseThrow().id();
        store.commit(List.of(new Mutation("token", id, null, null, Mutation.ANY_VERSION, null, "other", null, null)));
        assertTrue(registry.authenticate(secret).isEmpty());
    }

    @Test
    void aTicketStandsForItsTokenForItsPurposeOnlyAndDiesWithTheToken() {
        TokenRegistry registry = new TokenRegistry(store, "ens_configured", data);
        TokenRegistry.IssuedToken issued = registry.issue("web", Role.SDK, "staging", BY_TEST);
        Caller caller = registry.authenticate(issued.secret()).orElseThrow();
        String ticket = registry.ticket(caller, "ofrep-events:staging");
        assertEquals(ticket, registry.ticket(caller, "ofrep-events:staging"), "the same caller and purpose, the same ticket");
        assertFalse(ticket.contains(issued.secret()) || ticket.contains(TokenSecrets.hash(issued.secret())));
        assertEquals(issued.token().id(), registry.redeem(ticket, "ofrep-events:staging").orElseThrow().id());

        assertTrue(registry.redeem(ticket, "ofrep-events:production").isEmpty(), "another purpose");
        String proof = ticket.substring(ticket.lastIndexOf('.') + 1);
        String admin = registry.ticket(registry.authenticate("ens_configured").orElseThrow(), "ofrep-events:staging");
        assertTrue(registry.redeem(TokenRegistry.BOOTSTRAP_ID + "." + proof, "ofrep-events:staging").isEmpty(),
                "one token's proof under another's id");
        assertTrue(registry.redeem(admin, "ofrep-events:staging").isPresent());
        for (String bad : new String[] {null, "", ".", proof, ticket + "x", "tok_none." + proof}) {
            assertTrue(registry.redeem(bad, "ofrep-events:staging").isEmpty(), String.valueOf(bad));
        }

        assertTrue(registry.revoke(issued.token().id(), BY_TEST));
        assertTrue(registry.redeem(ticket, "ofrep-events:staging").isEmpty(), "revoked with its token");
    }
}
