package dev.secretrotator.cdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Runtime;

/**
 * The fast-start deployment (docs/deployment.md, "Fast start"): the zip of {@code bin/build-fast-start} (a
 * jlinked JDK 25, the AWS Lambda Java runtime interface client, the function's jar and an AOT cache trained
 * with that runtime) on the {@code provided.al2023} custom runtime, with the same handler. Set it with
 * {@link SecretRotatorFunctionProps.Builder#fastStart}; the function then runs the zip's {@code bootstrap},
 * gets no {@code JAVA_TOOL_OPTIONS} (the bootstrap sets the JVM's flags, and options that differ from
 * training would make the JVM drop the cache), and makes the same AWS calls as the default deployment.
 *
 * <p>The zip runs only on the architecture of the machine that built it (the jlinked JVM is native code):
 * {@link #architecture()} is read from the zip's {@code fast-start.properties}, and the function's
 * {@code architecture} prop must equal it. SnapStart does not apply to custom runtimes.
 *
 * @param zipPath      the zip, as {@code Code.fromAsset} takes it
 * @param architecture the architecture the zip was built for
 */
public record FastStart(String zipPath, Architecture architecture) {
    /** Where bin/build-fast-start writes the zip, relative to {@code cdk/}. */
    public static final String DEFAULT_ZIP_PATH = "../lambda/target/fast-start/secret-rotator-fast-start.zip";
    static final String PROPERTIES = "fast-start.properties";

    public FastStart {
        Objects.requireNonNull(zipPath, "zipPath must not be null");
        Objects.requireNonNull(architecture, "architecture must not be null");
    }

    /**
     * Reads the zip's architecture from its {@code fast-start.properties}.
     *
     * @throws IllegalArgumentException if the file is missing, is not a fast-start zip, or names an
     *                                  architecture Lambda does not have
     */
    public static FastStart fromArtifact(String zipPath) {
        Path zip = Path.of(Objects.requireNonNull(zipPath, "zipPath must not be null"));
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException("fastStart zip must exist at " + zip.toAbsolutePath() + ", got no file;"
                    + " build it on a machine with JDK 25 with bin/build-fast-start");
        }
        Properties properties = new Properties();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry entry = file.getEntry(PROPERTIES);
            if (entry == null) {
                throw new IllegalArgumentException("fastStart zip " + zip + " has no " + PROPERTIES
                        + ", so it is not bin/build-fast-start's artifact");
            }
            try (InputStream in = file.getInputStream(entry)) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fastStart zip " + zip + " cannot be read", e);
        }
        return new FastStart(zipPath, architectureOf(properties.getProperty("arch", ""), zip));
    }

    private static Architecture architectureOf(String machine, Path zip) {
        return switch (machine) {
            case "x86_64" -> Architecture.X86_64;
            case "aarch64" -> Architecture.ARM_64;
            default -> throw new IllegalArgumentException("fastStart zip " + zip + " was built on a '" + machine
                    + "' machine; Lambda runs x86_64 and aarch64 (arm64) only");
        };
    }

    /** The runtime of a fast-start function. */
    public Runtime runtime() {
        return Runtime.PROVIDED_AL2023;
    }

    public Code code() {
        return Code.fromAsset(zipPath);
    }
}
