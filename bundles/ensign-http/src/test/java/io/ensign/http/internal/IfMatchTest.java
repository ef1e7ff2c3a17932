package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ensign.api.http.ApiException;
import io.ensign.api.http.IfMatch;
import io.ensign.api.store.Mutation;
import org.junit.jupiter.api.Test;

class IfMatchTest {
    @Test
    void noHeaderWritesUnconditionally() {
        assertEquals(Mutation.ANY_VERSION, IfMatch.parse(null).expectedVersion(7, "flag 'x'"));
        assertEquals(Mutation.ANY_VERSION, IfMatch.parse(" ").expectedVersion(0, "flag 'x'"));
    }

    @Test
    void aQuotedVersionIsTheExpectedVersion() {
        assertEquals(3, IfMatch.parse("\"3\"").expectedVersion(9, "flag 'x'"));
        assertEquals(12, IfMatch.parse("12").expectedVersion(9, "flag 'x'"));
    }

    @Test
    void starExpectsTheCurrentVersionAndRefusesAMissingObjectWith409() {
        assertEquals(5, IfMatch.parse("*").expectedVersion(5, "flag 'x'"));
        ApiException e = assertThrows(ApiException.class, () -> IfMatch.parse("*").expectedVersion(0, "flag 'x'"));
        assertEquals(409, e.status());
        assertEquals("VERSION_CONFLICT", e.code());
    }

    @Test
    void anythingElseIsA400NamingTheHeader() {
        for (String bad : new String[] {"W/\"3\"", "\"a\"", "\"1\", \"2\"", "-1", "\"\"", "99999999999999999999"}) {
            ApiException e = assertThrows(ApiException.class, () -> IfMatch.parse(bad), bad);
            assertEquals(400, e.status());
            assertEquals("If-Match", e.field());
        }
    }

    @Test
    void etagQuotesTheVersion() {
        assertEquals("\"42\"", IfMatch.etag(42));
    }
}
