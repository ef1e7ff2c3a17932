package io.ensign.http.internal;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.ErrorStyle;
import io.ensign.api.http.JsonBodies;
import io.ensign.api.validation.Violation;

/**
 * An error response: status, code, a sentence, the field at fault (JSON pointer, header or parameter name, may be
 * null), for 422 every violation, and for a passing condition the seconds after which a retry may succeed (0: none).
 */
public record ApiError(int status, String code, String message, String field, List<Violation> violations,
                       int retryAfterSeconds) {
    public ApiError {
        violations = violations == null ? List.of() : List.copyOf(violations);
    }

    public ApiError(int status, String code, String message, String field, List<Violation> violations) {
        this(status, code, message, field, violations, 0);
    }

    /**
     * The OpenFeature error code for this error on an OFREP route: a body that is not JSON is a parse error, a
     * bad context an invalid context, the rest general.
     */
    public String ofrepErrorCode() {
        switch (code) {
            case ErrorCodes.INVALID_JSON: return "PARSE_ERROR";
            case ErrorCodes.INVALID_CONTEXT: return "INVALID_CONTEXT";
            default: return "GENERAL";
        }
    }

    /**
     * Writes the documented error body, {@code {"error","message","field"?,"violations"?}}; in the OFREP style also
     * {@code key} (when known), {@code errorCode} and {@code errorDetails}. Every error the server sends, from a
     * route or from the HTTP layer itself, is written here.
     */
    public void write(JsonGenerator g, ErrorStyle style, String key) throws IOException {
        g.writeStartObject();
        g.writeStringField("error", code);
        g.writeStringField("message", message);
        if (field != null) {
            g.writeStringField("field", field);
        }
        if (!violations.isEmpty()) {
            JsonBodies.writeViolations(g, "violations", violations);
        }
        if (style == ErrorStyle.OFREP) {
            if (key != null) {
                g.writeStringField("key", key);
            }
            g.writeStringField("errorCode", ofrepErrorCode());
            g.writeStringField("errorDetails", message);
        }
        g.writeEndObject();
    }
}
