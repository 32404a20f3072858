package dev.secretrotator.config;

import dev.secretrotator.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The function's configuration, read once from the environment when the handler is built.
 *
 * @param allowedSecretArns secret ARN patterns ({@code *} matches any run of characters) this
 *     function may rotate; empty means no pinning beyond IAM ({@code ROTATOR_ALLOWED_SECRET_ARNS})
 * @param allowedEndpointHosts hosts the HTTP-based providers may send credentials to
 *     ({@code ROTATOR_ALLOWED_ENDPOINT_HOSTS})
 * @param eventBusName EventBridge bus for rotation events ({@code ROTATOR_EVENT_BUS_NAME}, default
 *     {@code default})
 * @param retirement default retirement timings, overridable per secret
 * @param verification default verification polling, overridable per secret
 * @param password options of the {@code random-password} provider, as AWS's templates name them
 * @param functionName this function's name when running in Lambda ({@code AWS_LAMBDA_FUNCTION_NAME},
 *     set by the runtime), empty when run from the CLI
 * @param secretTag the tag a secret must carry to be rotated by this function ({@code ROTATOR_SECRET_TAG},
 *     {@code key=value}; tag mode), empty for no tag requirement. With it, the sweep and {@code status}
 *     enumerate with a ListSecrets tag filter instead of a list of secret ids.
 * @param allowInsecureLoopback whether HTTP-based providers may send credentials over plain
 *     {@code http} to a loopback address ({@code ROTATOR_ALLOW_INSECURE_LOOPBACK=true}, default
 *     false). <b>For tests and local demos only</b>: inside Lambda, loopback is the Runtime API.
 * @param profileDirectory where the {@code http-api-key} provider looks for deployment profile
 *     files {@code <name>.json} ({@code ROTATOR_PROFILE_DIR}, an absolute path; default
 *     {@value #DEFAULT_PROFILE_DIRECTORY}, where a Lambda layer's {@code secret-rotator/profiles}
 *     folder lands). Not checked here: a missing directory is reported when a profile is looked up.
 */
public record RotatorConfig(
        List<String> allowedSecretArns,
        List<String> allowedEndpointHosts,
        String eventBusName,
        Retirement retirement,
        Verification verification,
        PasswordOptions password,
        java.util.Optional<String> functionName,
        java.util.Optional<SecretTag> secretTag,
        boolean allowInsecureLoopback,
        Path profileDirectory) {
    public static final String DEFAULT_PROFILE_DIRECTORY = "/opt/secret-rotator/profiles";

    public RotatorConfig {
        allowedSecretArns = List.copyOf(allowedSecretArns);
        allowedEndpointHosts = List.copyOf(allowedEndpointHosts);
    }

    /** Defaults only: what a function with no environment gets. */
    public static RotatorConfig defaults() {
        return fromEnv(Map.of());
    }

    /** Reads every setting once; a malformed value fails fast and names the variable. */
    public static RotatorConfig fromEnv(Map<String, String> env) {
        return new RotatorConfig(
                list(env.get("ROTATOR_ALLOWED_SECRET_ARNS")),
                list(env.get("ROTATOR_ALLOWED_ENDPOINT_HOSTS")),
                env.getOrDefault("ROTATOR_EVENT_BUS_NAME", "default"),
                new Retirement(
                        duration(env, "ROTATOR_GRACE_PERIOD", Retirement.DEFAULT.gracePeriod()),
                        duration(env, "ROTATOR_QUIET_PERIOD", Retirement.DEFAULT.quietPeriod()),
                        duration(env, "ROTATOR_DELETE_AFTER", Retirement.DEFAULT.deleteAfter())),
                new Verification(
                        duration(env, "ROTATOR_VERIFY_TIMEOUT", Verification.DEFAULT.timeout()),
                        integer(env, "ROTATOR_VERIFY_SUCCESSES", Verification.DEFAULT.consecutiveSuccesses())),
                PasswordOptions.fromEnv(env),
                java.util.Optional.ofNullable(env.get("AWS_LAMBDA_FUNCTION_NAME")).filter(n -> !n.isBlank()),
                SecretTag.parse(env.get("ROTATOR_SECRET_TAG")),
                bool(env, "ROTATOR_ALLOW_INSECURE_LOOPBACK", false),
                absolutePath(env, "ROTATOR_PROFILE_DIR", DEFAULT_PROFILE_DIRECTORY));
    }

    /**
     * Whether {@code arn} matches the allow-list (always true when the list is empty). In tag mode
     * this is half the check: use {@link #secretAllowed(String, Map)} where the tags are known.
     */
    public boolean secretAllowed(String arn) {
        return allowedSecretArns.isEmpty() || allowedSecretArns.stream().anyMatch(p -> Glob.matches(p, arn));
    }

    /** Whether the secret matches the allow-list and, in tag mode, carries {@link #secretTag()}. */
    public boolean secretAllowed(String arn, Map<String, String> tags) {
        return secretAllowed(arn) && secretTag.map(t -> t.value().equals(tags.get(t.key()))).orElse(true);
    }

    /**
     * Name prefixes that cover every allow-list pattern ({@code ...:secret:team-a/*} gives
     * {@code team-a/}; a listed ARN gives its name), for a ListSecrets {@code name} filter; empty
     * when the list is empty or a pattern has no literal name prefix (then ListSecrets is unfiltered
     * by name and the allow-list check does all the work).
     */
    public List<String> secretNamePrefixes() {
        List<String> prefixes = allowedSecretArns.stream().map(Glob::secretNamePrefix).toList();
        return prefixes.stream().anyMatch(String::isEmpty) ? List.of() : prefixes.stream().distinct().toList();
    }

    static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Duration.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new ConfigurationException(name + " must be an ISO-8601 duration such as PT24H, got '" + value + "'");
        }
    }

    static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + " must be an integer, got '" + value + "'");
        }
    }

    static Path absolutePath(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return Path.of(fallback);
        }
        try {
            Path path = Path.of(value.trim());
            if (path.isAbsolute()) {
                return path;
            }
        } catch (java.nio.file.InvalidPathException e) {
            // reported below
        }
        throw new ConfigurationException(name + " must be an absolute path such as " + fallback + ", got '" + value + "'");
    }

    static boolean bool(Map<String, String> env, String name, boolean fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(name + " must be true or false, got '" + value + "'");
        };
    }
}
