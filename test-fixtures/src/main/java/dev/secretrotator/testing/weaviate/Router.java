package dev.secretrotator.testing.weaviate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Route table: maps a method and a raw path to a {@link Handler} with its decoded path parameters.
 * Unknown paths answer 404 and known paths with another method answer 405, both with the
 * {@code {"code": ..., "message": ...}} body go-swagger (Weaviate's HTTP layer) uses for them.
 * Immutable after construction, so safe to share between threads.
 */
final class Router {

    /** Handles one routed, authenticated request. */
    @FunctionalInterface
    interface Handler {
        Reply handle(Request request);
    }

    /** The outcome of routing: either a handler with its path parameters, or a failure reply. */
    record Resolved(Handler handler, Map<String, String> params, Reply failure) {
    }

    private record Route(String method, Pattern pattern, List<String> names, Handler handler) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}/]+)}");

    private final List<Route> routes = new ArrayList<>();

    /** Registers a route; {@code template} is a path such as {@code /v1/users/db/{user_id}}. */
    Router add(String method, String template, Handler handler) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        routes.add(new Route(method, Pattern.compile(regex.toString()), List.copyOf(names), handler));
        return this;
    }

    Resolved resolve(String method, String rawPath) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Matcher m = route.pattern().matcher(rawPath);
            if (!m.matches()) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Resolved(route.handler(), params(route, m), null);
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            return failure(404, "path " + rawPath + " was not found");
        }
        return failure(405, "method " + method + " is not allowed, but " + allowed + " are");
    }

    private static Map<String, String> params(Route route, Matcher m) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < route.names().size(); i++) {
            params.put(route.names().get(i), HttpIo.decodeSegment(m.group(i + 1)));
        }
        return params;
    }

    private static Resolved failure(int code, String message) {
        return new Resolved(null, Map.of(), Reply.json(code, Map.of("code", code, "message", message)));
    }
}
