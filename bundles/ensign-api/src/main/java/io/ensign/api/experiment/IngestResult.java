package io.ensign.api.experiment;

import java.util.List;

/**
 * What became of a batch of raw events.
 *
 * @param accepted   events stored for the first time
 * @param duplicates events whose id was seen before (in an earlier batch or earlier in this one)
 * @param rejected   events refused, by their index in the batch, with the reason
 */
public record IngestResult(long accepted, long duplicates, List<Rejection> rejected) {
    public IngestResult {
        rejected = rejected == null ? List.of() : List.copyOf(rejected);
    }

    /**
     * One refused event.
     *
     * @param index   the event's position in the batch, from 0
     * @param message why it was refused
     */
    public record Rejection(int index, String message) {
    }
}
