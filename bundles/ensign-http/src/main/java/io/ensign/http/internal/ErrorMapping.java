package io.ensign.http.internal;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.experiment.IllegalTransitionException;
import io.ensign.api.store.VersionConflictException;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;

/** The one place where failures become status codes and error codes. */
public final class ErrorMapping {
    public static final String INVALID_JSON = "INVALID_JSON";
    public static final String INVALID_CONTEXT = "INVALID_CONTEXT";
    public static final String INVALID_HEADER = "INVALID_HEADER";
    public static final String INVALID_PARAMETER = "INVALID_PARAMETER";
    public static final String VALIDATION_FAILED = "VALIDATION_FAILED";
    public static final String VERSION_CONFLICT = "VERSION_CONFLICT";
    public static final String ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    public static final String FORBIDDEN = "FORBIDDEN";
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
    public static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";

    private ErrorMapping() {
    }

    /** The error response for a failure; anything not foreseen here is a 500 (the caller logs it). */
    public static ApiError map(Throwable failure) {
        if (failure instanceof ApiException e) {
            return new ApiError(e.status(), e.code(), e.getMessage(), e.field(), List.of());
        }
        if (failure instanceof ValidationException e) {
            String field = e.violations().stream().map(Violation::field).filter(f -> !f.isEmpty()).findFirst()
                    .orElse(null);
            return new ApiError(422, VALIDATION_FAILED, e.getMessage(), field, e.violations());
        }
        if (failure instanceof VersionConflictException e) {
            return new ApiError(409, VERSION_CONFLICT, e.getMessage(), null, List.of());
        }
        if (failure instanceof IllegalTransitionException e) {
            return new ApiError(409, ILLEGAL_TRANSITION, e.getMessage(), null, List.of());
        }
        if (failure instanceof NotFoundException e) {
            return new ApiError(404, NOT_FOUND, e.getMessage(), null, List.of());
        }
        if (failure instanceof StreamConstraintsException e) {
            return new ApiError(400, INVALID_JSON, "the JSON body exceeds a limit: " + e.getOriginalMessage(), null,
                    List.of());
        }
        if (failure instanceof JsonProcessingException e) {
            return new ApiError(400, INVALID_JSON, "the body is not valid JSON: " + e.getOriginalMessage(), null,
                    List.of());
        }
        return new ApiError(500, INTERNAL_ERROR, "internal error; the server log has the details", null, List.of());
    }
}
