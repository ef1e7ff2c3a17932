package io.ensign.client;

/** Where a client's state comes from. */
public enum ClientStatus {
    /** Nothing loaded yet: evaluations answer {@code PROVIDER_NOT_READY} and configuration its defaults. */
    NOT_READY,
    /** Current with the server: the sync document is held and the change stream (or polling) follows it. */
    READY,
    /** Serving the last state known (from the server, the backup or the bootstrap file) while the server is away. */
    STALE,
    /** The server refuses this client (token or environment); it keeps serving what it holds and keeps asking. */
    ERROR
}
