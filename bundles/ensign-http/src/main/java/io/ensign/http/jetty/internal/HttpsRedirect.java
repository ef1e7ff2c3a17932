package io.ensign.http.jetty.internal;

import java.io.IOException;

import io.ensign.api.http.SettingChecks;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * With {@code redirectToHttpsPort} set (PID {@value ServerSettings#PID}), every request that came over plain HTTP is
 * answered with 308 Permanent Redirect to the same URI over HTTPS on that port (308 keeps the method and body), and
 * reaches no route. A request a trusted proxy forwarded with {@code X-Forwarded-Proto: https} counts as HTTPS.
 */
@Component(service = Filter.class, configurationPid = ServerSettings.PID)
@HttpWhiteboardFilterName("ensign-https-redirect")
@HttpWhiteboardFilterPattern("/*")
@HttpWhiteboardFilterAsyncSupported
public final class HttpsRedirect implements Filter {
    private volatile int port;

    @Activate
    public HttpsRedirect(ServerSettings.Config config) {
        port = SettingChecks.readOrKeep(ServerSettings.PID, () -> ServerSettings.Values.of(config),
                ServerSettings.Values.DEFAULTS).redirectToHttpsPort();
    }

    @Modified
    void modified(ServerSettings.Config config) {
        int inForce = port;
        port = SettingChecks.readOrKeep(ServerSettings.PID,
                () -> ServerSettings.Values.of(config).redirectToHttpsPort(), inForce);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        int to = port;
        if (to == 0 || request.isSecure()) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletRequest http = (HttpServletRequest) request;
        String host = http.getServerName();
        String query = http.getQueryString();
        HttpServletResponse answer = (HttpServletResponse) response;
        answer.setStatus(308);
        answer.setHeader("Location", "https://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + to
                + http.getRequestURI() + (query == null ? "" : "?" + query));
        answer.setContentLength(0);
    }
}
