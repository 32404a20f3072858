package dev.secretrotator.provider;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.config.RotatorConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where HTTP-based providers may send credentials: HTTPS to a host on the function's
 * allow-list ({@code ROTATOR_ALLOWED_ENDPOINT_HOSTS}). Loopback addresses (plain HTTP, or HTTPS
 * off the allow-list) only when the test setting {@code ROTATOR_ALLOW_INSECURE_LOOPBACK} is
 * true: inside Lambda, loopback is the Runtime API. Checked before any request is sent, so a
 * secret cannot send keys anywhere.
 */
public final class Endpoints {
    private static final String LOOPBACK_HINT = "; loopback endpoints are refused (inside Lambda, loopback is the"
            + " Runtime API) unless ROTATOR_ALLOW_INSECURE_LOOPBACK=true, a setting for tests only";

    private Endpoints() {}

    /**
     * Parses and checks an endpoint taken from a secret.
     *
     * @param field the secret field it came from, for the message
     * @throws InvalidInputException if it is malformed, not HTTPS, or not allowed
     */
    public static URI check(String endpoint, String field, RotatorConfig config) {
        URI uri;
        try {
            uri = URI.create(endpoint.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("field \"" + field + "\" is not a valid URL");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || uri.getScheme() == null) {
            throw new InvalidInputException("field \"" + field + "\" must be an absolute URL such as https://host, got '" + abbreviate(endpoint) + "'");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        boolean testLoopback = config.allowInsecureLoopback() && isLoopback(host);
        if (!https && !("http".equalsIgnoreCase(uri.getScheme()) && testLoopback)) {
            throw new InvalidInputException("field \"" + field + "\" must use https, got scheme '"
                    + abbreviate(uri.getScheme()) + "'" + (isLoopback(host) ? LOOPBACK_HINT : ""));
        }
        if (!testLoopback && isLoopback(host)) {
            throw new InvalidInputException("field \"" + field + "\" names the loopback address '" + abbreviate(host)
                    + "'" + LOOPBACK_HINT);
        }
        if (!testLoopback && !config.allowedEndpointHosts().contains(host)) {
            throw new InvalidInputException("endpoint host '" + abbreviate(host) + "' (field \"" + field
                    + "\") is not in ROTATOR_ALLOWED_ENDPOINT_HOSTS " + config.allowedEndpointHosts()
                    + "; add it to the function's configuration to allow sending credentials there");
        }
        return uri;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 60) + "... (" + s.length() + " characters)";
    }

    static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[?[0-9a-f:]+]?")) {
            return false; // never resolve names: a DNS answer must not decide where keys go
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
