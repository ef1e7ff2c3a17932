package io.ensign.migration.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** Translates one peer's definitions file into Ensign flags, saying per flag what cannot be expressed. */
interface PeerTranslator {
    /** The peer's name as {@code ?from=} takes it. */
    String peer();

    Translation translate(JsonNode file);
}
