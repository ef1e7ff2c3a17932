package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.ensign.api.http.Endpoint;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Endpoint NOTHING = call -> { };
    private final Route list = Route.get("/api/v1/flags", Permission.READ, NOTHING);
    private final Route get = Route.get("/api/v1/flags/{key}", Permission.READ, NOTHING);
    private final Route put = Route.put("/api/v1/flags/{key}", Permission.WRITE, NOTHING);
    private final Route nested = Route.post("/api/v1/experiments/{key}/{action}", Permission.WRITE, NOTHING);
    private final Router router = new Router(List.of(list, get, put, nested));

    @Test
    void matchesLiteralPathsExactly() {
        assertSame(list, router.match("GET", "/api/v1/flags").route());
        assertNull(router.match("GET", "/api/v1/flag"));
        assertNull(router.match("GET", "/api/v1/flags/a/b"));
    }

    @Test
    void bindsPathParametersByName() {
        Router.Match match = router.match("POST", "/api/v1/experiments/exp-1/start");
        assertSame(nested, match.route());
        assertEquals("exp-1", match.parameter("key"));
        assertEquals("start", match.parameter("action"));
        assertNull(match.parameter("other"));
    }

    @Test
    void choosesTheRouteByMethod() {
        assertSame(get, router.match("GET", "/api/v1/flags/x").route());
        assertSame(put, router.match("PUT", "/api/v1/flags/x").route());
        assertNull(router.match("DELETE", "/api/v1/flags/x"));
    }

    @Test
    void reportsTheRoutesOfAPathForA405() {
        assertEquals(List.of(get, put), router.routesAt("/api/v1/flags/x"));
        assertTrue(router.routesAt("/api/v1/nothing").isEmpty());
    }

    @Test
    void anEmptyParameterSegmentDoesNotMatch() {
        assertNull(router.match("GET", "/api/v1/flags/"));
    }

    @Test
    void splitsPathsWithoutDroppingEmptySegments() {
        assertArrayEquals(new String[] {"a", "b", ""}, Router.segments("/a/b/"));
        assertArrayEquals(new String[] {"a"}, Router.segments("/a"));
        assertArrayEquals(new String[] {""}, Router.segments("/"));
    }

    @Test
    void refusesTwoRoutesForOneMethodAndTemplate() {
        assertThrows(IllegalArgumentException.class, () -> new Router(List.of(get, get)));
    }
}
