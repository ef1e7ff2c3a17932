package io.ensign.http.internal;

import java.util.List;

import io.ensign.api.validation.Violation;

/**
 * An error response: status, code, a sentence, the field at fault (JSON pointer, header or parameter name, may be
 * null) and, for 422, every violation.
 */
public record ApiError(int status, String code, String message, String field, List<Violation> violations) {
    public ApiError {
        violations = violations == null ? List.of() : List.copyOf(violations);
    }

    /**
     * The OpenFeature error code for this error on an OFREP route: a body that is not JSON is a parse error, a
     * bad context an invalid context, the rest general.
     */
    public String ofrepErrorCode() {
        switch (code) {
            case ErrorMapping.INVALID_JSON: return "PARSE_ERROR";
            case ErrorMapping.INVALID_CONTEXT: return "INVALID_CONTEXT";
            default: return "GENERAL";
        }
    }
}
