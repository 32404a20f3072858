package dev.secretrotator.handler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The classes {@link SnapStartPriming} loads and initialises before the snapshot: every class of the
 * function ({@code dev.secretrotator}, found where this class was loaded from: the unpacked
 * {@code /var/task} on Lambda, the jar locally) except the local CLI's, and the AWS SDK request and
 * response classes of the calls the four steps, the sweep and the events make. Their static
 * initialisers build metadata only; none calls out.
 */
final class PrimedClasses {
    private static final String ROOT = "dev/secretrotator/";
    private static final String CLI = ROOT + "cli/";

    /** The request and response model of every AWS call the function makes (see docs/deployment.md, permissions). */
    static final List<String> SDK_MODELS = List.of(
            sm("DescribeSecret"), sm("GetSecretValue"), sm("PutSecretValue"), sm("UpdateSecretVersionStage"),
            sm("ListSecretVersionIds"), sm("GetRandomPassword"), sm("TagResource"), sm("UntagResource"),
            sm("ListSecrets"), sm("RotateSecret"),
            iam("CreateAccessKey"), iam("ListAccessKeys"), iam("UpdateAccessKey"), iam("DeleteAccessKey"),
            iam("GetAccessKeyLastUsed"), iam("ListUserTags"),
            "software.amazon.awssdk.services.sts.model.GetCallerIdentity",
            "software.amazon.awssdk.services.sts.model.AssumeRole",
            "software.amazon.awssdk.services.eventbridge.model.PutEvents");

    private PrimedClasses() {}

    /**
     * Loads and initialises the classes; returns how many.
     *
     * @throws IllegalStateException if the function's classes cannot be listed
     * @throws LinkageError if a class cannot be loaded or initialised
     */
    static int initialise() {
        ClassLoader loader = PrimedClasses.class.getClassLoader();
        List<String> names = Stream.concat(applicationClasses().stream(),
                SDK_MODELS.stream().flatMap(m -> Stream.of(m + "Request", m + "Response"))).toList();
        for (String name : names) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("SnapStart priming: class " + name + " is not on the class path", e);
            }
        }
        return names.size();
    }

    /** The binary names of the function's classes, the CLI's excluded. */
    static List<String> applicationClasses() {
        CodeSource source = PrimedClasses.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IllegalStateException("SnapStart priming: the function's code source is unknown");
        }
        try {
            Path where = Path.of(source.getLocation().toURI());
            List<String> entries = Files.isDirectory(where) ? files(where) : jarEntries(where);
            return entries.stream()
                    .filter(e -> e.startsWith(ROOT) && !e.startsWith(CLI) && e.endsWith(".class") && !e.endsWith("-info.class"))
                    .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("SnapStart priming: cannot list the function's classes", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("SnapStart priming: cannot list the function's classes", e);
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root.resolve(ROOT))) {
            return paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
        }
    }

    private static List<String> jarEntries(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }

    private static String sm(String operation) {
        return "software.amazon.awssdk.services.secretsmanager.model." + operation;
    }

    private static String iam(String operation) {
        return "software.amazon.awssdk.services.iam.model." + operation;
    }
}
