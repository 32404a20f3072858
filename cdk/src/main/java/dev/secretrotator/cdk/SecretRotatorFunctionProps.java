package dev.secretrotator.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Properties of {@link SecretRotatorFunction}. Immutable; build with {@link #builder()}, where every
 * optional field documents its default. Values are validated by the construct, not here, so the
 * error names the construct that received them.
 */
public record SecretRotatorFunctionProps(
        Code code,
        int memorySize,
        Duration timeout,
        Architecture architecture,
        RetentionDays logRetention,
        boolean snapStart,
        String javaToolOptions,
        List<String> allowedEndpointHosts,
        List<String> allowedSecretArnPatterns,
        SecretTag secretTag,
        List<String> secretNamePrefixes,
        List<String> adminSecretArns,
        String iamUserPath,
        List<String> assumeRoleArns,
        List<IKey> secretsKeys,
        IEventBus eventBus,
        Duration verifyTimeout,
        int verifySuccesses,
        Duration gracePeriod,
        Duration quietPeriod,
        Duration deleteAfter,
        Map<String, String> passwordOptions,
        IVpc vpc,
        List<ISecurityGroup> securityGroups,
        JavaRuntime runtime,
        FastStart fastStart) {

    /** Where the shaded jar is built, relative to {@code cdk/}. */
    public static final String DEFAULT_JAR_PATH = "../lambda/target/secret-rotator.jar";
    /** C1-only JIT: most of a rotation is start-up and I/O, where the C2 compiler costs more than it earns. */
    public static final String DEFAULT_JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    public SecretRotatorFunctionProps {
        allowedEndpointHosts = copy(allowedEndpointHosts, "allowedEndpointHosts");
        allowedSecretArnPatterns = copy(allowedSecretArnPatterns, "allowedSecretArnPatterns");
        secretNamePrefixes = copy(secretNamePrefixes, "secretNamePrefixes");
        adminSecretArns = copy(adminSecretArns, "adminSecretArns");
        assumeRoleArns = copy(assumeRoleArns, "assumeRoleArns");
        secretsKeys = copy(secretsKeys, "secretsKeys");
        securityGroups = copy(securityGroups, "securityGroups");
        if (passwordOptions == null) {
            throw new IllegalArgumentException("passwordOptions must be a map (Map.of() for none), got null");
        }
        passwordOptions = Map.copyOf(passwordOptions);
    }

    private static <T> List<T> copy(List<T> list, String name) {
        if (list == null || list.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException(name + " must be a list without nulls (List.of() for none), got " + list);
        }
        return List.copyOf(list);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; every setter returns {@code this}. Collections are copied. */
    public static final class Builder {
        private Code code;
        private int memorySize = 1024;
        private Duration timeout = Duration.minutes(2);
        private Architecture architecture = Architecture.X86_64;
        private RetentionDays logRetention = RetentionDays.ONE_YEAR;
        private boolean snapStart;
        private String javaToolOptions = DEFAULT_JAVA_TOOL_OPTIONS;
        private List<String> allowedEndpointHosts = List.of();
        private List<String> allowedSecretArnPatterns = List.of();
        private SecretTag secretTag;
        private List<String> secretNamePrefixes = List.of();
        private List<String> adminSecretArns = List.of();
        private String iamUserPath;
        private List<String> assumeRoleArns = List.of();
        private List<IKey> secretsKeys = List.of();
        private IEventBus eventBus;
        private Duration verifyTimeout = Duration.seconds(60);
        private int verifySuccesses = 3;
        private Duration gracePeriod = Duration.hours(24);
        private Duration quietPeriod = Duration.hours(4);
        private Duration deleteAfter = Duration.hours(48);
        private Map<String, String> passwordOptions = Map.of();
        private IVpc vpc;
        private List<ISecurityGroup> securityGroups = List.of();
        private JavaRuntime runtime = JavaRuntime.DEFAULT;
        private FastStart fastStart;

        /** Function code. Default: {@code Code.fromAsset(DEFAULT_JAR_PATH)}, resolved against the working directory. */
        public Builder code(Code v) { code = v; return this; }
        /**
         * Memory in MB, 256 to 10240. Default 1024: peak RSS measured ~100 MiB, but the cold start is CPU bound
         * (JVM start and SDK initialisation, ~1 s on a full core) and Lambda's CPU share grows with memory.
         */
        public Builder memorySize(int v) { memorySize = v; return this; }
        /** Timeout, at least 30 s and at least verifyTimeout + 30 s. Default 2 minutes. */
        public Builder timeout(Duration v) { timeout = v; return this; }
        /** Default X86_64, the platform of docs/benchmarks.md; the jar is pure Java, ARM_64 works once measured. */
        public Builder architecture(Architecture v) { architecture = v; return this; }
        /** Log retention. Default one year: rotation logs are audit evidence. */
        public Builder logRetention(RetentionDays v) { logRetention = v; return this; }
        /**
         * Lambda SnapStart on published versions: a version per deployment and a {@code live} alias that
         * everything invokes; the hourly {@link RetirementSweep} keeps its snapshot from expiring. Default
         * false; see docs/deployment.md, section 9.
         */
        public Builder snapStart(boolean v) { snapStart = v; return this; }
        /** {@code JAVA_TOOL_OPTIONS}. Default {@link #DEFAULT_JAVA_TOOL_OPTIONS}; empty string to unset. */
        public Builder javaToolOptions(String v) { javaToolOptions = v; return this; }
        /** Hosts the weaviate and http-api-key providers may call. Default none. */
        public Builder allowedEndpointHosts(List<String> v) { allowedEndpointHosts = v; return this; }
        /** Extra secret ARN patterns for the allow-list (tag mode). Default none; rotated secrets are added. */
        public Builder allowedSecretArnPatterns(List<String> v) { allowedSecretArnPatterns = v; return this; }
        /** Rotate any secret of this account and region carrying this tag (key not under {@code secret-rotator:}); the sweep then enumerates with ListSecrets. Default: listed secrets only. */
        public Builder secretTag(SecretTag v) { secretTag = v; return this; }
        /**
         * Rotate any secret of this account and region whose name starts with one of these prefixes
         * (for example {@code team-a/}; at most 10, no wildcards); combined with {@link #secretTag}, a secret
         * needs both. The sweep then enumerates with ListSecrets. Default: no prefix selection.
         */
        public Builder secretNamePrefixes(List<String> v) { secretNamePrefixes = v; return this; }
        /** Admin secrets the weaviate/http providers read. Default none. */
        public Builder adminSecretArns(List<String> v) { adminSecretArns = v; return this; }
        /** IAM path of the users whose keys are rotated, for example {@code /rotated/}. Default: no IAM access. */
        public Builder iamUserPath(String v) { iamUserPath = v; return this; }
        /** Role ARNs the function may assume (cross-account rotation). Default none. */
        public Builder assumeRoleArns(List<String> v) { assumeRoleArns = v; return this; }
        /** Customer managed keys that encrypt the rotated secrets. Default none (aws/secretsmanager). */
        public Builder secretsKeys(List<IKey> v) { secretsKeys = v; return this; }
        /** Bus for the function's events. Default: the account's default bus. */
        public Builder eventBus(IEventBus v) { eventBus = v; return this; }
        /** How long testSecret polls a new credential. Default 60 s. */
        public Builder verifyTimeout(Duration v) { verifyTimeout = v; return this; }
        /** Consecutive successful checks testSecret needs. Default 3. */
        public Builder verifySuccesses(int v) { verifySuccesses = v; return this; }
        /** Time the previous credential stays active after cutover. Default 24 h. */
        public Builder gracePeriod(Duration v) { gracePeriod = v; return this; }
        /** Time without use before the previous credential is deactivated. Default 4 h. */
        public Builder quietPeriod(Duration v) { quietPeriod = v; return this; }
        /** Hold between deactivation and deletion. Default 48 h. */
        public Builder deleteAfter(Duration v) { deleteAfter = v; return this; }
        /** random-password template options (PASSWORD_LENGTH, EXCLUDE_CHARACTERS, ...). Default none. */
        public Builder passwordOptions(Map<String, String> v) { passwordOptions = v; return this; }
        /** VPC to run in (for targets only reachable privately). Default: no VPC. */
        public Builder vpc(IVpc v) { vpc = v; return this; }
        /** Security groups when {@link #vpc} is set. Default: one created by CDK. */
        public Builder securityGroups(List<ISecurityGroup> v) { securityGroups = v; return this; }
        /** Lambda managed Java runtime. Default {@link JavaRuntime#JAVA_25}; {@link JavaRuntime#JAVA_21} runs the same jar. */
        public Builder runtime(JavaRuntime v) { runtime = v; return this; }
        /**
         * Deploy the fast-start artifact ({@code FastStart.fromArtifact(FastStart.DEFAULT_ZIP_PATH)}) on
         * {@code provided.al2023} instead of the jar on the Java runtime; {@link #code}, {@link #runtime} and
         * {@link #javaToolOptions} then do not apply, and {@link #architecture} must be the artifact's.
         * Default: none (the jar on the managed Java runtime). See docs/deployment.md, "Fast start".
         */
        public Builder fastStart(FastStart v) { fastStart = v; return this; }

        public SecretRotatorFunctionProps build() {
            return new SecretRotatorFunctionProps(code, memorySize, timeout, architecture, logRetention, snapStart,
                    javaToolOptions, allowedEndpointHosts, allowedSecretArnPatterns, secretTag, secretNamePrefixes, adminSecretArns,
                    iamUserPath, assumeRoleArns, secretsKeys, eventBus, verifyTimeout, verifySuccesses, gracePeriod,
                    quietPeriod, deleteAfter, passwordOptions, vpc, securityGroups, runtime, fastStart);
        }
    }
}
