package io.ensign.client;

/**
 * The tracking queue's counts since the client started.
 *
 * @param sent    events the server took
 * @param dropped events dropped because the queue was full
 * @param failed  events the server refused (rejected one by one, or a batch it would not take)
 * @param queued  events waiting now
 */
public record TrackingStats(long sent, long dropped, long failed, long queued) {
}
