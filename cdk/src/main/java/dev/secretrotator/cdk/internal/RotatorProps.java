package dev.secretrotator.cdk.internal;

import dev.secretrotator.cdk.SecretRotatorFunctionProps;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Token;

/** Validation of {@link SecretRotatorFunctionProps}: each message says what was received and what fits. Not API. */
public final class RotatorProps {

    /** The AWS rotation templates' password options, as the function reads them. */
    public static final Set<String> PASSWORD_OPTIONS = Set.of("PASSWORD_LENGTH", "EXCLUDE_CHARACTERS",
            "EXCLUDE_NUMBERS", "EXCLUDE_PUNCTUATION", "EXCLUDE_UPPERCASE", "EXCLUDE_LOWERCASE",
            "REQUIRE_EACH_INCLUDED_TYPE");

    private static final Pattern IAM_PATH = Pattern.compile("^/([\\x21-\\x29\\x2B-\\x2E\\x30-\\x7E]+/)+$");
    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$");
    private static final Pattern SECRET_ARN =
            Pattern.compile("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[\\w/+=.@?-]+$");
    private static final Pattern SECRET_NAME_PREFIX = Pattern.compile("^[\\w/+=.@-]{2,}$");
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$");

    private RotatorProps() {
    }

    public static void validate(SecretRotatorFunctionProps p) {
        require(p != null, "props must be set, got null");
        require(p.memorySize() >= 256 && p.memorySize() <= 10240,
                "memorySize must be between 256 and 10240 MB, got " + p.memorySize() + " MB");
        requireSet(p.timeout(), "timeout");
        requireSet(p.verifyTimeout(), "verifyTimeout");
        double timeout = p.timeout().toSeconds().doubleValue();
        require(timeout >= 30 && timeout <= 900,
                "timeout must be between 30 seconds and 15 minutes, got " + p.timeout().toHumanString());
        require(timeout >= p.verifyTimeout().toSeconds().doubleValue() + 30,
                "timeout must be at least verifyTimeout + 30 seconds (testSecret polls for verifyTimeout, then "
                        + "writes the secret), got timeout " + p.timeout().toHumanString() + " and verifyTimeout "
                        + p.verifyTimeout().toHumanString());
        require(p.verifySuccesses() >= 1, "verifySuccesses must be at least 1, got " + p.verifySuccesses());
        for (String name : List.of("gracePeriod", "quietPeriod", "deleteAfter")) {
            Duration d = switch (name) {
                case "gracePeriod" -> p.gracePeriod();
                case "quietPeriod" -> p.quietPeriod();
                default -> p.deleteAfter();
            };
            requireSet(d, name);
        }
        requireSet(p.architecture(), "architecture");
        requireSet(p.runtime(), "runtime");
        requireSet(p.logRetention(), "logRetention");
        require(p.javaToolOptions() != null, "javaToolOptions must be a string (\"\" for none), got null");
        validateIamPath(p.iamUserPath());
        p.assumeRoleArns().forEach(arn -> require(Token.isUnresolved(arn) || ROLE_ARN.matcher(arn).matches(),
                "assumeRoleArns must be IAM role ARNs without wildcards (arn:aws:iam::<account>:role/<name>), got '"
                        + arn + "'"));
        p.adminSecretArns().forEach(arn -> require(Token.isUnresolved(arn) || SECRET_ARN.matcher(arn).matches(),
                "adminSecretArns must be Secrets Manager secret ARNs without '*' "
                        + "(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 chars>), got '" + arn + "'"));
        p.allowedEndpointHosts().forEach(host -> require(HOST.matcher(host).matches(),
                "allowedEndpointHosts must be host names without scheme, port or path (for example "
                        + "weaviate.example.com), got '" + host + "'"));
        p.passwordOptions().keySet().forEach(key -> require(PASSWORD_OPTIONS.contains(key),
                "passwordOptions keys must be one of " + PASSWORD_OPTIONS.stream().sorted().toList() + ", got '"
                        + key + "'"));
        if (p.secretTag() != null) {
            require(notBlank(p.secretTag().key()) && notBlank(p.secretTag().value()),
                    "secretTag must have a non-blank key and value, got " + p.secretTag());
            String key = p.secretTag().key().toLowerCase(java.util.Locale.ROOT);
            require(!key.startsWith("secret-rotator:") && !key.startsWith("aws:"),
                    "secretTag key must not start with 'secret-rotator:' (the function may write those tags, so it could"
                            + " tag any secret into its own reach) nor 'aws:' (reserved); use for example"
                            + " 'rotation-deployment', got '" + p.secretTag().key() + "'");
        }
        validatePrefixes(p.secretNamePrefixes());
        require(p.vpc() != null || p.securityGroups().isEmpty(),
                "securityGroups need a vpc, got " + p.securityGroups().size() + " security group(s) and no vpc");
        if (p.fastStart() != null) {
            require(p.fastStart().architecture().getName().equals(p.architecture().getName()),
                    "architecture must be the fastStart artifact's, which was built for " + p.fastStart().architecture().getName()
                            + " (its JVM is native code), got " + p.architecture().getName()
                            + "; set architecture to match or build the artifact on a " + p.architecture().getName() + " machine");
            require(!p.snapStart(), "snapStart must be false with fastStart (SnapStart does not apply to the"
                    + " provided.al2023 custom runtime), got snapStart true");
        }
    }

    /** ListSecrets takes at most 10 values per filter; IAM resource ARNs take the prefix literally. */
    private static void validatePrefixes(List<String> prefixes) {
        require(prefixes.size() <= 10, "secretNamePrefixes holds at most 10 prefixes (ListSecrets filters take 10 values),"
                + " got " + prefixes.size() + "; use a common shorter prefix or secretTag");
        prefixes.forEach(prefix -> require(prefix != null && SECRET_NAME_PREFIX.matcher(prefix).matches(),
                "secretNamePrefixes must be secret-name prefixes without wildcards, such as 'team-a/' (letters, digits"
                        + " and /_+=.@-), got '" + prefix + "'"));
    }

    private static void validateIamPath(String path) {
        if (path == null) {
            return;
        }
        require(!"/".equals(path), "iamUserPath must not be '/' (every user of the account); put the users "
                + "whose keys are rotated under their own path such as /rotated/, got '/'");
        require(IAM_PATH.matcher(path).matches(),
                "iamUserPath must start and end with '/' and contain no '*' (for example /rotated/), got '"
                        + path + "'");
    }

    private static void requireSet(Object value, String name) {
        require(value != null, name + " must be set, got null");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
