package io.ensign.api.audit;

/**
 * Where one audit sink stands.
 *
 * @param name      the sink's {@value AuditSink#NAME} property
 * @param cursor    the sequence of the last record the sink acknowledged, 0 when none
 * @param lag       how many committed records the sink has not acknowledged yet
 * @param failures  failed deliveries since the sink was bound
 * @param lastError the error of the latest attempt, null when that attempt succeeded
 */
public record SinkStatus(String name, long cursor, long lag, long failures, String lastError) {
}
