package io.ensign.http.internal;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.experiment.IllegalTransitionException;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.store.StoreUnavailableException;
import io.ensign.api.store.VersionConflictException;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import org.eclipse.jetty.http.HttpException;

/** The one place where failures become status codes and error codes. */
public final class ErrorMapping {

    private ErrorMapping() {
    }

    /** The error response for a failure; anything not foreseen here is a 500 (the caller logs it). */
    public static ApiError map(Throwable failure) {
        StoreUnavailableException unavailable = storeUnavailable(failure);
        if (unavailable != null) {
            boolean full = unavailable.condition() == StoreUnavailableException.Condition.DISK_FULL;
            return new ApiError(full ? 507 : 503, full ? ErrorCodes.INSUFFICIENT_STORAGE : ErrorCodes.STORE_UNAVAILABLE,
                    (full ? "the store's disk is full" : "the store is unavailable")
                            + "; nothing was written, try again later", null, List.of(),
                    unavailable.retryAfterSeconds());
        }
        if (failure instanceof ApiException e) {
            return new ApiError(e.status(), e.code(), e.getMessage(), e.field(), List.of());
        }
        if (failure instanceof ValidationException e) {
            String field = e.violations().stream().map(Violation::field).filter(f -> !f.isEmpty()).findFirst()
                    .orElse(null);
            return new ApiError(422, ErrorCodes.VALIDATION_FAILED, e.getMessage(), field, e.violations());
        }
        if (failure instanceof VersionConflictException e) {
            return new ApiError(409, ErrorCodes.VERSION_CONFLICT, e.getMessage(), null, List.of());
        }
        if (failure instanceof IllegalTransitionException e) {
            return new ApiError(409, ErrorCodes.ILLEGAL_TRANSITION, e.getMessage(), null, List.of());
        }
        if (failure instanceof NotFoundException e) {
            return new ApiError(404, ErrorCodes.NOT_FOUND, e.getMessage(), null, List.of());
        }
        if (failure instanceof StreamConstraintsException e) {
            return new ApiError(400, ErrorCodes.INVALID_JSON,
                    "the JSON body exceeds a limit: " + e.getOriginalMessage(), null, List.of());
        }
        if (failure instanceof JsonProcessingException e) {
            return new ApiError(400, ErrorCodes.INVALID_JSON, "the body is not valid JSON: " + e.getOriginalMessage(),
                    null, List.of());
        }
        if (failure instanceof HttpException e && e.getCode() >= 400 && e.getCode() < 500) {
            // the servlet container refusing what it decodes lazily, e.g. a query string that is not UTF-8
            return forStatus(e.getCode(), e.getReason());
        }
        return new ApiError(500, ErrorCodes.INTERNAL_ERROR, "internal error; the server log has the details", null,
                List.of());
    }

    /**
     * The store's refusal behind a failure, looking through wrappers: a component between the store and the route
     * (catalog, config service, experiment ingestion) may wrap it, and the client must still learn it may retry.
     */
    private static StoreUnavailableException storeUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreUnavailableException e) {
                return e;
            }
        }
        return null;
    }

    /**
     * The error for a status the HTTP layer answers by itself, before or outside any route (a malformed request
     * line, URI or header, headers too large, an unknown path): the API's code for that status where it has one,
     * else the status's reason phrase in upper case with underscores (e.g. 431 REQUEST_HEADER_FIELDS_TOO_LARGE).
     *
     * @param reason the HTTP layer's account of what is wrong, may be null
     */
    public static ApiError forStatus(int status, String reason) {
        String code = switch (status) {
            case 400 -> ErrorCodes.INVALID_REQUEST;
            case 401 -> ErrorCodes.UNAUTHORIZED;
            case 403 -> ErrorCodes.FORBIDDEN;
            case 404 -> ErrorCodes.NOT_FOUND;
            case 405 -> ErrorCodes.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCodes.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCodes.UNSUPPORTED_MEDIA_TYPE;
            case 500 -> ErrorCodes.INTERNAL_ERROR;
            case 503 -> ErrorCodes.SERVICE_UNAVAILABLE;
            default -> constantCase(reasonPhrase(status));
        };
        String phrase = reasonPhrase(status);
        boolean detailed = reason != null && !reason.isBlank() && !reason.equalsIgnoreCase(phrase)
                && (status < 500 || status == 505);
        return new ApiError(status, code, detailed ? phrase + ": " + reason : phrase, null, List.of());
    }

    private static String constantCase(String phrase) {
        StringBuilder out = new StringBuilder(phrase.length());
        for (char c : phrase.toCharArray()) {
            out.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return out.toString();
    }

    /** The standard reason phrase of a status (RFC 9110 and 6585), "Error" for one the HTTP layer does not send. */
    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 417 -> "Expectation Failed";
            case 421 -> "Misdirected Request";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }
}
