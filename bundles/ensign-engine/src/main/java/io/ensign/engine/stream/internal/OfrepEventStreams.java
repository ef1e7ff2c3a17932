package io.ensign.engine.stream.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The OFREP change-notification stream as bulk evaluations advertise it in {@code eventStreams}: one stream per
 * environment at {@value #PATH}, opened with a ticket (the caller's token, for this environment's notifications
 * only) because a browser's {@code EventSource} cannot send an Authorization header.
 */
public final class OfrepEventStreams {
    /** The stream's path. */
    public static final String PATH = "/ofrep/v1/events";
    static final String ENVIRONMENT = "environment";
    static final String TICKET = "ticket";

    private OfrepEventStreams() {
    }

    /** What a ticket for an environment's notifications is good for. */
    public static String purpose(String environment) {
        return "ofrep-events:" + environment;
    }

    /** The stream's path and query for an environment and a ticket for it. */
    public static String requestUri(String environment, String ticket) {
        return PATH + "?" + ENVIRONMENT + "=" + URLEncoder.encode(environment, StandardCharsets.UTF_8)
                + "&" + TICKET + "=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8);
    }
}
