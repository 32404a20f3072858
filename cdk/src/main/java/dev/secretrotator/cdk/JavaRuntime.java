package dev.secretrotator.cdk;

import java.util.Arrays;
import java.util.stream.Collectors;
import software.amazon.awscdk.services.lambda.Runtime;

/**
 * The Lambda managed Java runtimes the rotation function may run on. The jar is Java 17 bytecode and
 * the whole test suite passes on JDK 17 and JDK 25 (docs/deployment.md, "Function settings"), so
 * both runtimes run the same jar; {@link #JAVA_25} is the default.
 */
public enum JavaRuntime {
    /** {@code java21}: for teams that pin the previous LTS runtime. */
    JAVA_21("java21", Runtime.JAVA_21),
    /** {@code java25}: the default, the newest managed Java runtime. */
    JAVA_25("java25", Runtime.JAVA_25);

    /** The default of the construct, the CDK app's configuration and templates/secret-rotator.yaml. */
    public static final JavaRuntime DEFAULT = JAVA_25;

    private final String id;
    private final Runtime runtime;

    JavaRuntime(String id, Runtime runtime) {
        this.id = id;
        this.runtime = runtime;
    }

    /** Lambda's identifier, as in CloudFormation's {@code Runtime} property: {@code java21} or {@code java25}. */
    public String id() {
        return id;
    }

    /** The aws-cdk runtime object for {@code Function.Builder.runtime}. */
    public Runtime lambdaRuntime() {
        return runtime;
    }

    /**
     * The runtime with this Lambda identifier.
     *
     * @throws IllegalArgumentException naming the accepted identifiers, when {@code id} is none of them
     */
    public static JavaRuntime of(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("runtime must be one of "
                        + Arrays.stream(values()).map(JavaRuntime::id).collect(Collectors.joining(", "))
                        + ", got '" + id + "'"));
    }
}
