package io.ensign.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Serves the console: the files Vite built into this bundle's {@code console/} folder under {@code /console/}, and
 * a redirect from the server's root. Felix's whiteboard does not take {@code ""} (the context root alone), so this is
 * also the default servlet ({@code /}): every other path it gets is refused with the same 404 the server gives
 * without it.
 *
 * <p>What Vite built is under {@code /console/assets/}: a name there that is not one of its files is a 404. Every other
 * path under {@code /console/} is one of the app's own routes ({@code /console/flags/checkout}) and gets the page,
 * whose script reads the route from the address. The asset names carry a content hash, so they may be cached for
 * good; the page is revalidated, so a replaced bundle shows at once. The app talks to the API of the same origin
 * only, so its policy allows nothing from elsewhere, no inline script and no inline style.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("ensign-console")
@HttpWhiteboardServletPattern({"/console/*", "/"})
public final class ConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String CONSOLE = "/console";
    private static final String ROOT = "console/";
    private static final String PAGE = "index.html";
    private static final String ASSETS = "assets/";
    private static final Pattern ASSET = Pattern.compile("assets/[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "woff2", "font/woff2");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        // how the container splits a path into servlet path and path info differs for the default servlet
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.startsWith(CONSOLE + "/")) {
            super.service(request, response);
        } else if (read && (path.isEmpty() || "/".equals(path) || CONSOLE.equals(path))) {
            response.sendRedirect(request.getContextPath() + CONSOLE + "/");
        } else {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String name = path.substring(CONSOLE.length() + 1);
        boolean asset = name.startsWith(ASSETS);
        URL file = asset ? (ASSET.matcher(name).matches() ? resource(name) : null) : resource(PAGE);
        String type = asset ? TYPES.get(name.substring(name.lastIndexOf('.') + 1)) : TYPES.get("html");
        if (file == null || type == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setContentType(type);
        response.setHeader("Cache-Control", asset ? "public, max-age=31536000, immutable" : "no-cache");
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        try (InputStream in = file.openStream()) {
            in.transferTo(response.getOutputStream());
        }
    }

    private static URL resource(String name) {
        return ConsoleServlet.class.getClassLoader().getResource(ROOT + name);
    }
}
