package dev.secretrotator.provider.http;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where profiles come from: the secret's {@code "profile"} field names a built-in profile
 * (a {@code profiles/<name>.json} resource in the jar), or a profile file shipped with the
 * deployment ({@code <directory>/<name>.json}, the directory from {@code ROTATOR_PROFILE_DIR},
 * {@link dev.secretrotator.config.RotatorConfig#profileDirectory()}; by default where a Lambda
 * layer lands); or it holds a whole profile as a JSON object. Built-in names take precedence.
 * Named profiles are parsed and checked once per container; thread-safe.
 */
final class ProfileCatalog {
    static final List<String> BUILT_IN = List.of("sendgrid", "twilio", "datadog", "openai-admin-key",
            "gitlab-project-token", "gitlab-group-token", "cloudflare-user-token", "databricks-pat",
            "confluent-cloud-api-key", "entra-client-secret", "okta-client-secret", "atlas-service-account-secret",
            "gcp-service-account-key");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final List<Path> directories;
    private final Map<String, Profile> named = new ConcurrentHashMap<>();

    /** @param directories where deployment profile files are looked for, in order */
    ProfileCatalog(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    /**
     * The profile a secret names or holds.
     *
     * @throws InvalidInputException if it is missing, unknown, malformed or incomplete
     */
    Profile forSecret(SecretValue secret) {
        Object field = secret.fields().get("profile");
        if (field instanceof Map<?, ?>) {
            SecretValue inline = secret.object("profile").orElseThrow();
            return ProfileParser.parse(inline.fields(), Optional.empty(), "the profile in the secret's \"profile\" field");
        }
        String name = secret.string("profile").orElseThrow(() -> new InvalidInputException(
                "field \"profile\" is missing; name a built-in profile " + BUILT_IN
                        + ", a profile file of the deployment, or give a whole profile as a JSON object"));
        return named(name);
    }

    /** A built-in or deployment profile by name. */
    Profile named(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("field \"profile\" must be a profile name of lower-case letters, digits and"
                    + " dashes (or a JSON object)");
        }
        return named.computeIfAbsent(name, this::load);
    }

    private Profile load(String name) {
        String source = "profile \"" + name + "\"";
        try (InputStream in = ProfileCatalog.class.getResourceAsStream("/profiles/" + name + ".json")) {
            if (in != null) {
                return ProfileParser.parse(json(in.readAllBytes(), source), Optional.of(name), source);
            }
        } catch (IOException e) {
            throw new IllegalStateException("built-in " + source + " could not be read", e);
        }
        for (Path directory : directories) {
            Path file = directory.resolve(name + ".json");
            if (Files.isRegularFile(file)) {
                String fileSource = source + " (" + file + ")";
                try {
                    return ProfileParser.parse(json(Files.readAllBytes(file), fileSource), Optional.of(name), fileSource);
                } catch (IOException e) {
                    throw new InvalidInputException(fileSource + " could not be read: " + e.getClass().getSimpleName());
                }
            }
        }
        throw new InvalidInputException("unknown " + source + "; built-in profiles are " + BUILT_IN
                + ", deployment profiles are files <name>.json in the directory ROTATOR_PROFILE_DIR names ("
                + describe(directories) + ")");
    }

    /** The directories, each missing one said to be missing (a layer not attached, a mistyped path). */
    private static String describe(List<Path> directories) {
        if (directories.isEmpty()) {
            return "none here";
        }
        return directories.stream().map(d -> Files.isDirectory(d) ? d.toString()
                : d + (Files.exists(d) ? ", which is not a directory" : ", which does not exist"))
                .collect(java.util.stream.Collectors.joining("; "));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(byte[] bytes, String source) {
        Object parsed;
        try {
            parsed = JSON.std.anyFrom(bytes);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(source + " is not valid JSON (" + bytes.length + " bytes)");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new InvalidInputException(source + " must be a JSON object");
        }
        return (Map<String, Object>) map;
    }
}
