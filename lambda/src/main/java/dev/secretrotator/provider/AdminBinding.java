package dev.secretrotator.provider;

import dev.secretrotator.InvalidInputException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an admin secret may be used for one rotated secret and one endpoint (the confused
 * deputy guard). Whoever can write a rotated secret's value can name any {@code adminSecretArn}
 * and any allowed endpoint in it, so the binding lives where writing that value changes nothing:
 * the tags of the admin secret, set by whoever owns it.
 *
 * <ul>
 *   <li>{@value #SERVES}: space-separated secret names or full ARNs that may use the admin
 *       secret; a trailing {@code *} matches a prefix of the name or ARN.</li>
 *   <li>{@value #ENDPOINTS}: space-separated hosts ({@code host} for any port, or
 *       {@code host:port}) the admin credential may be sent to.</li>
 * </ul>
 *
 * @param secretId the rotated secret as the event or operation named it, for messages
 * @param secretArn the rotated secret's full ARN
 * @param step the step or operation that wants the credential ({@code createSecret}, {@code sweep}, ...)
 * @param endpoint where the credential will be sent
 */
public record AdminBinding(String secretId, String secretArn, String step, URI endpoint) {
    public static final String SERVES = "secret-rotator:serves";
    public static final String ENDPOINTS = "secret-rotator:endpoints";

    /** The binding for a provider step, from its context. */
    public static AdminBinding of(StepContext context, String step, URI endpoint) {
        return new AdminBinding(context.secretId(), context.secretArn(), step, endpoint);
    }

    /**
     * @param adminArn the admin secret, for messages
     * @param tags its tags, as {@code DescribeSecret} returned them
     * @throws InvalidInputException naming the secret, the step, the admin secret and the tag to set
     *     if the tags do not allow this use
     */
    void check(String adminArn, Map<String, String> tags) {
        List<String> serves = words(tags.get(SERVES));
        if (serves.stream().noneMatch(this::servesSecret)) {
            throw refuse(adminArn, "does not serve secret '" + secretName() + "': its tag " + SERVES + " "
                    + shown(tags.get(SERVES)) + " names neither that name nor its ARN",
                    "add the secret's name or ARN to the tag " + SERVES + " of the admin secret (space-separated;"
                            + " a trailing * matches a name prefix)");
        }
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        String hostPort = host + ":" + port();
        List<String> endpoints = words(tags.get(ENDPOINTS));
        if (endpoints.stream().map(e -> e.toLowerCase(Locale.ROOT)).noneMatch(e -> e.equals(host) || e.equals(hostPort))) {
            throw refuse(adminArn, "may not be sent to " + hostPort + " (the endpoint of secret '" + secretName()
                    + "'): its tag " + ENDPOINTS + " " + shown(tags.get(ENDPOINTS)) + " does not list that host",
                    "add '" + host + "' (or '" + hostPort + "') to the tag " + ENDPOINTS + " of the admin secret");
        }
    }

    /** The rotated secret's name: its ARN without the {@code -XXXXXX} suffix Secrets Manager adds. */
    String secretName() {
        int at = secretArn.indexOf(":secret:");
        if (at < 0) {
            return secretArn;
        }
        String tail = secretArn.substring(at + ":secret:".length());
        return tail.matches(".+-[A-Za-z0-9]{6}") ? tail.substring(0, tail.length() - 7) : tail;
    }

    private boolean servesSecret(String entry) {
        if (entry.endsWith("*")) {
            String prefix = entry.substring(0, entry.length() - 1);
            return secretName().startsWith(prefix) || secretArn.startsWith(prefix);
        }
        return entry.equals(secretName()) || entry.equals(secretArn)
                || (entry.startsWith("arn:") && secretArn.matches(java.util.regex.Pattern.quote(entry) + "-[A-Za-z0-9]{6}"));
    }

    private int port() {
        if (endpoint.getPort() != -1) {
            return endpoint.getPort();
        }
        return "http".equalsIgnoreCase(endpoint.getScheme()) ? 80 : 443;
    }

    private InvalidInputException refuse(String adminArn, String why, String fix) {
        return new InvalidInputException("the admin secret " + adminArn + " " + why + "; " + step
                + " refused to use it. Its owner binds it, which writing the rotated secret's value cannot: " + fix
                + ". Nothing was changed: the admin credential was neither read nor sent");
    }

    private static List<String> words(String value) {
        return value == null ? List.of() : Arrays.stream(value.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static String shown(String value) {
        return Optional.ofNullable(value).map(v -> v.length() > 120 ? "'" + v.substring(0, 100) + "...'" : "'" + v + "'")
                .orElse("(absent)");
    }
}
