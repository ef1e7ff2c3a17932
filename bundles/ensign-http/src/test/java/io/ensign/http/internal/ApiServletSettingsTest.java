package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;

import io.ensign.api.auth.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The servlet's limits follow configuration edits; an invalid edit is refused and the limits in force stay. */
class ApiServletSettingsTest {
    private static final String BODY = "{\"value\":\"" + "x".repeat(100) + "\"}";
    private ApiHarness api;
    private String editor;

    @BeforeEach
    void start() throws Exception {
        api = ApiHarness.start();
        api.add(new NotesResource(api.store));
        editor = api.token(Role.EDITOR, null);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private int put() {
        return api.send("PUT", "/api/v1/notes/a", editor, BODY).statusCode();
    }

    @Test
    void aNewBodyLimitAppliesToTheNextRequestAndInvalidEditsKeepIt() {
        assertEquals(201, put());

        api.api.modified(limits(50, null));
        assertEquals(413, put());

        api.api.modified(limits(-1, null));
        assertEquals(413, put(), "a negative limit is refused");
        api.api.modified(limits(100_000, new IllegalArgumentException("'lots' is not a number")));
        assertEquals(413, put(), "an edit with an unreadable value is refused whole");

        api.api.modified(limits(100_000, null));
        assertEquals(200, put());
    }

    private static ApiServlet.Config limits(int maxBodyBytes, RuntimeException unreadable) {
        return new ApiServlet.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ApiServlet.Config.class;
            }

            @Override
            public int maxBodyBytes() {
                return maxBodyBytes;
            }

            @Override
            public int maxNestingDepth() {
                if (unreadable != null) {
                    throw unreadable;
                }
                return 16;
            }

            @Override
            public int maxStringLength() {
                return 1000;
            }
        };
    }
}
