package dev.secretrotator.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.engine.SecretStore;
import dev.secretrotator.engine.Step;
import dev.secretrotator.ops.RotationDriver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The demo's readable output: versions, staging labels and password fingerprints, step by step. */
final class Timeline {
    private final SecretsManagerClient client;
    private final PrintStream out;
    private String arn;

    Timeline(SecretsManagerClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    String createSample() throws IOException {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("provider", "random-password");
        value.put("username", "app_user");
        value.put("host", "db.example.internal");
        value.put("port", 5432);
        value.put("password", UUID.randomUUID().toString());
        String name = "secret-rotator-demo/" + UUID.randomUUID().toString().substring(0, 8);
        String json = asJson(value);
        arn = client.createSecret(b -> b.name(name).secretString(json)).arn();
        out.println("created " + arn);
        out.println("  value: {provider: random-password, username, host, port, password}");
        printVersions("initial");
        return arn;
    }

    RotationDriver.Listener listener() {
        return new RotationDriver.Listener() {
            @Override
            public void started(String secretArn, String token, boolean local) {
                out.println("  RotateSecret staged version " + shortId(token) + " AWSPENDING");
                printVersions("start");
            }

            @Override
            public void stepDone(Step step, long millis) {
                printVersions(step.wireName() + " (" + millis + " ms)");
            }
        };
    }

    void summary(String secretArn) throws IOException {
        Map<String, Object> current = JSON.std.mapFrom(new SecretStore(client).valueAt(secretArn, SecretMetadata.CURRENT));
        out.println("\nAWSCURRENT keeps every other field: username=" + current.get("username")
                + ", host=" + current.get("host") + ", port=" + current.get("port"));
    }

    private void printVersions(String when) {
        SecretMetadata meta = new SecretStore(client).describe(arn);
        StringBuilder line = new StringBuilder(String.format("  %-24s", when));
        meta.stagesByVersion().entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .sorted(java.util.Comparator.comparingInt(e -> rank(e.getValue())))
                .forEach(e -> line.append(String.format(" | %s %s %s",
                        shortId(e.getKey()), e.getValue(), fingerprint(e.getKey(), e.getValue()))));
        out.println(line);
    }

    private static int rank(java.util.List<String> stages) {
        return stages.contains(SecretMetadata.PENDING) ? 0 : stages.contains(SecretMetadata.CURRENT) ? 1 : 2;
    }

    private String fingerprint(String version, java.util.List<String> stages) {
        try {
            String json = client.getSecretValue(b -> b.secretId(arn).versionId(version)).secretString();
            Object password = JSON.std.mapFrom(json).get("password");
            return "password#" + sha256(String.valueOf(password));
        } catch (RuntimeException | IOException e) {
            return stages.contains(SecretMetadata.PENDING) ? "(no value yet)" : "(unreadable)";
        }
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shortId(String versionId) {
        return versionId.substring(0, Math.min(8, versionId.length()));
    }

    private static String asJson(Object value) throws IOException {
        return JSON.std.asString(value);
    }
}
