package io.ensign.http.jetty.internal;

import java.util.function.Supplier;

import io.ensign.api.http.AddressRanges;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Applies {@code Forwarded} and {@code X-Forwarded-*} headers (client address, scheme, host, port) only to requests
 * whose connection comes from a trusted proxy; from any other address they are left as they are, so a client cannot
 * pass itself off as another address or as HTTPS by sending them.
 */
final class TrustedForwarded implements HttpConfiguration.Customizer {
    private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();
    private final Supplier<AddressRanges> trusted;

    TrustedForwarded(Supplier<AddressRanges> trusted) {
        this.trusted = trusted;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        return trusted.get().contains(Request.getRemoteAddr(request)) ? forwarded.customize(request, responseHeaders)
                : request;
    }
}
