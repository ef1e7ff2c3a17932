package io.ensign.http.internal;

import java.util.List;

/**
 * A resource of the HTTP API (flags, tokens, OFREP...): a DS service the {@link ApiServlet} routes to. A resource
 * is present while the services it needs are, so adding an endpoint family is adding one such component.
 */
public interface ApiResource {
    /** The routes this resource answers; fixed for the life of the instance. */
    List<Route> routes();
}
