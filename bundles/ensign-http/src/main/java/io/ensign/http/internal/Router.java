package io.ensign.http.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.ensign.api.http.Route;

/**
 * Finds the route for a method and path by comparing path segments, no regular expressions. Immutable; the
 * servlet builds a new one when resources come or go.
 */
public final class Router {
    private final List<CompiledRoute> routes;

    /** The route found for a request and the values of its path parameters, in template order. */
    public record Match(Route route, String[] parameterNames, String[] parameterValues) {
        /** The value of a path parameter, or null when the template has no such parameter. */
        public String parameter(String name) {
            for (int i = 0; i < parameterNames.length; i++) {
                if (parameterNames[i].equals(name)) {
                    return parameterValues[i];
                }
            }
            return null;
        }
    }

    private record CompiledRoute(Route route, String[] segments, boolean[] parameter, String[] names) {
    }

    /** @throws IllegalArgumentException when two routes have the same method and template */
    public Router(Collection<Route> routes) {
        List<CompiledRoute> compiled = new ArrayList<>(routes.size());
        Set<String> seen = new HashSet<>();
        for (Route route : routes) {
            if (!seen.add(route.method() + " " + route.template())) {
                throw new IllegalArgumentException("two routes for " + route.method() + " " + route.template());
            }
            compiled.add(compile(route));
        }
        this.routes = List.copyOf(compiled);
    }

    /** Every route, in the order given. */
    public List<Route> routes() {
        return routes.stream().map(CompiledRoute::route).toList();
    }

    /** The route for this method and path, or null. */
    public Match match(String method, String path) {
        String[] segments = segments(path);
        for (CompiledRoute candidate : routes) {
            if (candidate.route().method().equals(method) && matches(candidate, segments)) {
                return new Match(candidate.route(), candidate.names(), parameterValues(candidate, segments));
            }
        }
        return null;
    }

    /** The routes on this path, whatever their method, in the order given; empty when no route has the path. */
    public List<Route> routesAt(String path) {
        String[] segments = segments(path);
        List<Route> found = new ArrayList<>();
        for (CompiledRoute candidate : routes) {
            if (matches(candidate, segments)) {
                found.add(candidate.route());
            }
        }
        return found;
    }

    private static boolean matches(CompiledRoute route, String[] segments) {
        if (route.segments().length != segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            if (route.parameter()[i] ? segments[i].isEmpty() : !route.segments()[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] parameterValues(CompiledRoute route, String[] segments) {
        String[] values = new String[route.names().length];
        int next = 0;
        for (int i = 0; i < segments.length; i++) {
            if (route.parameter()[i]) {
                values[next++] = segments[i];
            }
        }
        return values;
    }

    private static CompiledRoute compile(Route route) {
        String[] segments = segments(route.template());
        boolean[] parameter = new boolean[segments.length];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.length() > 2 && s.charAt(0) == '{' && s.charAt(s.length() - 1) == '}') {
                parameter[i] = true;
                names.add(s.substring(1, s.length() - 1));
            }
        }
        return new CompiledRoute(route, segments, parameter, names.toArray(String[]::new));
    }

    /** The segments of a path without its leading slash; "/a/b/" has a last, empty segment. */
    static String[] segments(String path) {
        int start = path.startsWith("/") ? 1 : 0;
        int count = 1;
        for (int i = start; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        String[] segments = new String[count];
        int n = 0;
        for (int i = start; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                segments[n++] = path.substring(start, i);
                start = i + 1;
            }
        }
        return segments;
    }
}
