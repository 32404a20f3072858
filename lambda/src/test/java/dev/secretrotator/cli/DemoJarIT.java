package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/demo} end to end: it starts moto_server itself and prints plain text, no colour codes. */
class DemoJarIT {
    @TempDir
    Path dir;

    @Test
    void binDemo_startsItsOwnEmulator_rotatesTwice_andPrintsNoEscapeCodes() throws Exception {
        Path script = Path.of("..", "bin", "demo").toAbsolutePath().normalize();
        assumeTrue(jarIsFresh(script.getParent().getParent()), "the jar is older than the sources: bin/demo would build it");

        JarRun.Result run = JarRun.run(dir, Map.of("PATH", System.getenv("PATH")), List.of("bash", script.toString()));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("started moto_server at http://127.0.0.1:").contains("rotation 2")
                .contains("AWSCURRENT keeps every other field");
        assertThat(run.stdout() + run.stderr()).doesNotContain("\u001b");
    }

    private static boolean jarIsFresh(Path root) throws java.io.IOException {
        long jar = Files.getLastModifiedTime(JarRun.JAR).toMillis();
        try (Stream<Path> sources = Stream.of("lambda/src", "test-fixtures/src").map(root::resolve).flatMap(DemoJarIT::walk)) {
            return sources.allMatch(p -> p.toFile().lastModified() <= jar)
                    && Stream.of("pom.xml", "lambda/pom.xml").allMatch(p -> root.resolve(p).toFile().lastModified() <= jar);
        }
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir).filter(Files::isRegularFile);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
