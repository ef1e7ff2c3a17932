package io.ensign.api.model;

/** Why an evaluation failed; the names are OpenFeature's error codes. */
public enum ErrorCode {
    PROVIDER_NOT_READY, FLAG_NOT_FOUND, PARSE_ERROR, TYPE_MISMATCH, TARGETING_KEY_MISSING, INVALID_CONTEXT, GENERAL
}
