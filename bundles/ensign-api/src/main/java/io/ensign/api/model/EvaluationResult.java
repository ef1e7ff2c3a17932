package io.ensign.api.model;

import java.util.Map;

/**
 * The outcome of evaluating one flag for one context. Failures are values too: reason {@link Reason#ERROR},
 * an error code and the flag's default value (null when there is no flag).
 *
 * @param key          the flag key
 * @param value        the variant's value
 * @param variant      the variant's name, null on some errors
 * @param reason       why this value
 * @param errorCode    null unless reason is ERROR
 * @param errorDetails a sentence for people, null unless reason is ERROR
 * @param metadata     extra facts (rule name, experiment key, flag version); never null
 */
public record EvaluationResult(String key, Object value, String variant, Reason reason, ErrorCode errorCode,
                               String errorDetails, Map<String, Object> metadata) {
    public EvaluationResult {
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** A failed evaluation. */
    public static EvaluationResult error(String key, Object value, String variant, ErrorCode code, String details,
                                         Map<String, Object> metadata) {
        return new EvaluationResult(key, value, variant, Reason.ERROR, code, details, metadata);
    }

    /** Whether the evaluation failed. */
    public boolean isError() {
        return reason == Reason.ERROR;
    }
}
