package io.ensign.itests;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading Ensign's own outcome out of an OFREP answer: the protocol has no DEFAULT and no ERROR with a value, so
 * those go out as reason UNKNOWN with Ensign's reason, error code and details in the metadata (docs/http-api.md).
 */
final class OfrepAnswers {
    private OfrepAnswers() {
    }

    /** Ensign's reason for the answer: metadata.ensignReason when the protocol's reason could not say it. */
    static String ensignReason(JsonNode answer) {
        JsonNode own = answer.path("metadata").path("ensignReason");
        return own.isTextual() ? own.textValue() : answer.path("reason").asText(null);
    }

    /** The error code of a failure served with a value (metadata), or of a failure answer (top level); else null. */
    static String errorCode(JsonNode answer) {
        JsonNode own = answer.path("metadata").path("ensignErrorCode");
        return own.isTextual() ? own.textValue() : answer.path("errorCode").asText(null);
    }

    /** The details of a failure served with a value (metadata), or of a failure answer (top level); else null. */
    static String errorDetails(JsonNode answer) {
        JsonNode own = answer.path("metadata").path("ensignErrorDetails");
        return own.isTextual() ? own.textValue() : answer.path("errorDetails").asText(null);
    }
}
