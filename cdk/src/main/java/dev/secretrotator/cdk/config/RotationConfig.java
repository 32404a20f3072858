package dev.secretrotator.cdk.config;

import dev.secretrotator.cdk.JavaRuntime;
import dev.secretrotator.cdk.RiskTier;
import dev.secretrotator.cdk.RotationWindow;
import dev.secretrotator.cdk.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The deployment's configuration file ({@code cdk/rotation-config.json}): which secrets rotate how
 * often, and what the function may touch. Immutable; the format is documented in docs/deployment.md.
 * Unknown keys are errors, so a typo cannot silently switch a setting off.
 */
public record RotationConfig(
        List<SecretEntry> secrets,
        String iamUserPath,
        List<String> assumeRoleArns,
        List<String> adminSecretArns,
        List<String> allowedEndpointHosts,
        List<String> kmsKeyArns,
        String eventBusName,
        String alarmEmail,
        String sweepSchedule,
        String rotatedEventsQueueArn,
        RotationWindow rotationWindow,
        int memorySize,
        int timeoutSeconds,
        boolean snapStart,
        String secretTag,
        List<String> secretNamePrefixes,
        JavaRuntime runtime) {

    /**
     * Schedules per stack: the main stack keeps room for the function, sweep and alarms under
     * CloudFormation's 500 resources; more secrets go into nested stacks named by {@code "stack"}.
     */
    public static final int MAX_SCHEDULES_PER_STACK = 300;

    public static final Set<String> PROVIDERS = Set.of("aws-iam", "weaviate", "http-api-key", "random-password");
    private static final Set<String> TOP_KEYS = Set.of("secrets", "iamUserPath", "assumeRoleArns", "adminSecretArns",
            "allowedEndpointHosts", "kmsKeyArns", "eventBusName", "alarmEmail", "sweepSchedule",
            "rotatedEventsQueueArn", "rotationWindow", "function", "secretTag", "secretNamePrefixes", "$comment");
    private static final Set<String> SECRET_KEYS = Set.of("name", "secretArn", "provider", "tier", "environment",
            "rotateImmediatelyOnUpdate", "stack", "stagingTwin", "$comment");
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9-]+$");
    private static final Pattern COMPLETE_SECRET_ARN =
            Pattern.compile("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[\\w/+=.@-]+-[A-Za-z0-9]{6}$");

    public RotationConfig {
        secrets = List.copyOf(secrets);
        assumeRoleArns = List.copyOf(assumeRoleArns);
        adminSecretArns = List.copyOf(adminSecretArns);
        allowedEndpointHosts = List.copyOf(allowedEndpointHosts);
        kmsKeyArns = List.copyOf(kmsKeyArns);
        secretNamePrefixes = List.copyOf(secretNamePrefixes);
    }

    public static RotationConfig load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("configuration file " + file.toAbsolutePath()
                    + " must be readable JSON, got " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static RotationConfig parse(String json) {
        Map<String, Object> root = Json.object(json);
        Json.checkKeys(root, TOP_KEYS, "the configuration");
        Map<String, Object> window = Json.objectAt(root, "rotationWindow");
        Json.checkKeys(window, Set.of("startHourUtc", "timeZone", "startHour", "hours", "$comment"), "rotationWindow");
        Map<String, Object> function = Json.objectAt(root, "function");
        Json.checkKeys(function, Set.of("memorySize", "timeoutSeconds", "snapStart", "runtime", "$comment"), "function");
        List<SecretEntry> secrets = secrets(Json.listAt(root, "secrets"));
        RotationConfig config = new RotationConfig(secrets,
                Json.string(root, "iamUserPath", null),
                Json.strings(root, "assumeRoleArns"),
                Json.strings(root, "adminSecretArns"),
                Json.strings(root, "allowedEndpointHosts"),
                Json.strings(root, "kmsKeyArns"),
                Json.string(root, "eventBusName", null),
                Json.string(root, "alarmEmail", null),
                Json.string(root, "sweepSchedule", null),
                Json.string(root, "rotatedEventsQueueArn", null),
                rotationWindow(window),
                Json.integer(function, "memorySize", 1024),
                Json.integer(function, "timeoutSeconds", 120),
                Json.bool(function, "snapStart", false),
                Json.string(root, "secretTag", null),
                Json.strings(root, "secretNamePrefixes"),
                runtime(function));
        config.checkProviders();
        config.checkStackSizes();
        return config;
    }

    /** {@code "runtime": "java21"} or {@code "java25"}; default {@link JavaRuntime#DEFAULT}. */
    private static JavaRuntime runtime(Map<String, Object> function) {
        try {
            return JavaRuntime.of(Json.string(function, "runtime", JavaRuntime.DEFAULT.id()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("function." + e.getMessage(), e);
        }
    }

    /**
     * {@code {"startHourUtc": 9, "hours": 4}} or {@code {"timeZone": "America/New_York", "startHour": 9, "hours": 4}};
     * default 09:00 UTC for 4 hours.
     */
    private static RotationWindow rotationWindow(Map<String, Object> window) {
        int hours = Json.integer(window, "hours", RotationWindow.DEFAULT.hours());
        String zone = Json.string(window, "timeZone", null);
        try {
            if (zone == null) {
                if (window.containsKey("startHour")) {
                    throw new IllegalArgumentException("startHour needs timeZone (an IANA id such as Europe/Berlin);"
                            + " for a UTC window use startHourUtc");
                }
                return RotationWindow.utc(Json.integer(window, "startHourUtc", RotationWindow.DEFAULT.startHour()), hours);
            }
            if (window.containsKey("startHourUtc") || !window.containsKey("startHour")) {
                throw new IllegalArgumentException("with timeZone give startHour (local), not startHourUtc");
            }
            RotationWindow local = RotationWindow.local(zone, Json.integer(window, "startHour", 0), hours);
            local.utcStartHour();
            return local;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rotationWindow: " + e.getMessage(), e);
        }
    }

    private static List<SecretEntry> secrets(List<Object> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("secrets must list at least one secret, got none");
        }
        List<SecretEntry> entries = new ArrayList<>();
        List<String> twins = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "secrets[" + i + "]";
            Map<String, Object> s = Json.asObject(list.get(i), where);
            Json.checkKeys(s, SECRET_KEYS, where);
            String name = Json.required(s, "name", where);
            if (!NAME.matcher(name).matches() || !names.add(name)) {
                throw new IllegalArgumentException(where + ".name must be unique and match [A-Za-z0-9-]+ (it is "
                        + "the construct id), got '" + name + "'");
            }
            String arn = Json.required(s, "secretArn", where);
            if (!COMPLETE_SECRET_ARN.matcher(arn).matches()) {
                throw new IllegalArgumentException(where + ".secretArn must be a complete secret ARN "
                        + "(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>), got '" + arn + "'");
            }
            String provider = Json.required(s, "provider", where);
            if (!PROVIDERS.contains(provider)) {
                throw new IllegalArgumentException(where + ".provider must be one of "
                        + PROVIDERS.stream().sorted().toList() + ", got '" + provider + "'");
            }
            try {
                entries.add(new SecretEntry(name, arn, provider, RiskTier.parse(Json.required(s, "tier", where)),
                        Stage.parse(Json.required(s, "environment", where)),
                        Json.bool(s, "rotateImmediatelyOnUpdate", false), stack(s, where), null));
                twins.add(Json.string(s, "stagingTwin", null));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "." + e.getMessage(), e);
            }
        }
        return withTwins(entries, twins);
    }

    /** Resolves each {@code stagingTwin} (the name of another entry) to that entry's ARN. */
    private static List<SecretEntry> withTwins(List<SecretEntry> entries, List<String> twins) {
        List<SecretEntry> out = new ArrayList<>(entries);
        for (int i = 0; i < out.size(); i++) {
            String twin = twins.get(i);
            if (twin == null) {
                continue;
            }
            String self = out.get(i).name();
            SecretEntry found = entries.stream().filter(e -> e.name().equals(twin) && !e.name().equals(self))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("secret " + self + ": stagingTwin must "
                            + "name another secret of this file (its \"name\"), got '" + twin + "'"));
            out.set(i, out.get(i).withStagingTwinArn(found.secretArn()));
        }
        return out;
    }

    private static String stack(Map<String, Object> s, String where) {
        String stack = Json.string(s, "stack", null);
        if (stack != null && !NAME.matcher(stack).matches()) {
            throw new IllegalArgumentException(where + ".stack must match [A-Za-z0-9-]+ (it names a nested stack), got '"
                    + stack + "'");
        }
        return stack;
    }

    /** The key and value of {@code secretTag} ({@code key=value}), or null when secrets are listed. */
    public String[] secretTagParts() {
        if (secretTag == null) {
            return null;
        }
        int eq = secretTag.indexOf('=');
        if (eq <= 0 || eq == secretTag.length() - 1) {
            throw new IllegalArgumentException("secretTag must be key=value, for example rotation-deployment=platform, got '"
                    + secretTag + "'");
        }
        return new String[] {secretTag.substring(0, eq), secretTag.substring(eq + 1)};
    }

    private void checkStackSizes() {
        secretTagParts();
        Map<String, Long> perStack = secrets.stream().collect(java.util.stream.Collectors.groupingBy(
                s -> s.stack() == null ? "(main stack)" : s.stack(), java.util.stream.Collectors.counting()));
        perStack.forEach((stack, count) -> {
            if (count > MAX_SCHEDULES_PER_STACK) {
                throw new IllegalArgumentException("a stack holds at most " + MAX_SCHEDULES_PER_STACK + " rotation schedules"
                        + " (CloudFormation allows 500 resources), got " + count + " in " + stack + "; give the secrets"
                        + " beyond that a \"stack\" (for example \"stack\": \"batch-2\") so their schedules go into a"
                        + " nested stack (docs/deployment.md, Sizing)");
            }
        });
    }

    private void checkProviders() {
        boolean iam = secrets.stream().anyMatch(s -> s.provider().equals("aws-iam"));
        if (iam && iamUserPath == null) {
            throw new IllegalArgumentException("iamUserPath must be set (for example /rotated/) when a secret uses "
                    + "provider aws-iam, got none");
        }
        boolean remote = secrets.stream().anyMatch(s -> Set.of("weaviate", "http-api-key").contains(s.provider()));
        if (remote && allowedEndpointHosts.isEmpty()) {
            throw new IllegalArgumentException("allowedEndpointHosts must name the hosts the weaviate and http-api-key "
                    + "providers call when such a secret is configured, got none");
        }
    }
}
