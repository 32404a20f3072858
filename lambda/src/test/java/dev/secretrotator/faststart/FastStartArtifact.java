package dev.secretrotator.faststart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The fast-start zip of bin/build-fast-start, for tests: built once (or reused when its jar and bootstrap are
 * this build's) and unpacked into any directory with {@code unzip}, which keeps the file modes, as Lambda does.
 */
final class FastStartArtifact {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path OUT = ROOT.resolve("lambda/target/fast-start");
    static final Path ZIP = OUT.resolve("secret-rotator-fast-start.zip");
    private static final Path JAR = Path.of(System.getProperty("rotator.jar", "target/secret-rotator.jar")).toAbsolutePath();

    private FastStartArtifact() {}

    /** A JDK 25 (JAVA25_HOME, else where CI and this machine keep it), if there is one. */
    static Optional<Path> jdk25() {
        String configured = System.getenv("JAVA25_HOME");
        Path home = Path.of(configured != null ? configured : "/usr/lib/jvm/temurin-25-jdk-amd64");
        return Files.isExecutable(home.resolve("bin/jlink")) ? Optional.of(home) : Optional.empty();
    }

    /** The zip for this build's jar: bin/build-fast-start --jar-built, unless the last build's still matches. */
    static Path build(Path jdk, Path log) throws Exception {
        if (isCurrent()) {
            return ZIP;
        }
        Process build = new ProcessBuilder(ROOT.resolve("bin/build-fast-start").toString(), "--jar-built")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        build.getOutputStream().close();
        boolean finished = build.waitFor(8, TimeUnit.MINUTES);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.print(output);
        assertThat(finished).as("bin/build-fast-start finished within 8 minutes").isTrue();
        assertThat(build.exitValue()).as("bin/build-fast-start:%n%s", output).isZero();
        return ZIP;
    }

    private static boolean isCurrent() throws IOException {
        Path task = OUT.resolve("task");
        return Files.exists(ZIP) && Files.exists(task.resolve("lib/secret-rotator.jar"))
                && Files.mismatch(task.resolve("lib/secret-rotator.jar"), JAR) == -1
                && Files.mismatch(task.resolve("bootstrap"), ROOT.resolve("lambda/src/fast-start/bootstrap")) == -1
                && Files.getLastModifiedTime(ZIP).compareTo(Files.getLastModifiedTime(ROOT.resolve("bin/build-fast-start"))) > 0;
    }

    /** Unpacks the zip into {@code dir} (a directory other than the one the cache was trained in). */
    static Path unpack(Path zip, Path dir) throws Exception {
        Process unzip = new ProcessBuilder("unzip", "-q", zip.toString(), "-d", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(unzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(unzip.waitFor()).as("unzip: %s", output).isZero();
        assertThat(dir.resolve("bootstrap")).isExecutable();
        return dir;
    }

    /** The task root's files Lambda would see, for a failure message. */
    static List<String> listing(Path taskRoot) throws IOException {
        try (var files = Files.list(taskRoot)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
