package io.ensign.engine.http.internal;

import java.util.function.Predicate;

import io.ensign.api.auth.Caller;
import io.ensign.api.auth.Role;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;

/**
 * The environment a request works in, as the evaluation, sync and stream routes choose it: an sdk token's own
 * (naming another with {@code ?environment=} is 403), else the one the query names (it must exist, or 400
 * {@code UNKNOWN_ENVIRONMENT}), else a fallback.
 */
public final class CallerEnvironment {
    /** The query parameter. */
    public static final String PARAMETER = "environment";

    private CallerEnvironment() {
    }

    /**
     * @param exists   whether an environment of that name exists
     * @param fallback the environment when a non-sdk token names none (null: none, and it is not checked)
     * @param verb     what the route does there, for the 403's message, e.g. {@code evaluates in}
     */
    public static String of(Call call, Predicate<String> exists, String fallback, String verb) {
        Caller caller = call.caller();
        String asked = call.query(PARAMETER);
        if (asked != null && asked.isEmpty()) {
            asked = null;
        }
        if (caller.role() == Role.SDK) {
            if (asked != null && !asked.equals(caller.environment())) {
                throw new ApiException(403, ErrorCodes.FORBIDDEN,
                        "this sdk token " + verb + " environment '" + caller.environment() + "' only", PARAMETER);
            }
            return caller.environment();
        }
        String environment = asked == null ? fallback : asked;
        if (environment != null && !exists.test(environment)) {
            throw new ApiException(400, "UNKNOWN_ENVIRONMENT", "environment '" + environment + "' does not exist",
                    PARAMETER);
        }
        return environment;
    }
}
