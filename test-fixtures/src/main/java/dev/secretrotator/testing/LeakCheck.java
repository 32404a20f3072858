package dev.secretrotator.testing;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;

/**
 * JUnit 5 extension (register after {@link Moto}): captures everything printed to
 * {@code System.out} and {@code System.err} while the tests run (the function's logs, metrics
 * and errors included, still passed through to the console), and after each test fails it if
 * any credential stored in any version of any secret on the emulator, or any sensitive value
 * registered with {@link #sensitive(String)} (rotation tokens), appears in that output.
 */
public final class LeakCheck implements BeforeAllCallback, AfterEachCallback {
    private static final Pattern CREDENTIAL_FIELD =
            Pattern.compile("(?i).*(password|secret|apikey|api_key|token|privatekey|value).*");
    private static final Pattern ID_FIELD = Pattern.compile("(?i).*(id|arn|name|endpoint|url)$");
    private static final Set<String> EXTRA = ConcurrentHashMap.newKeySet();
    private static Capture capture;

    /** Registers a value that must never be printed (a rotation token, an admin key). */
    public static void sensitive(String value) {
        EXTRA.add(value);
    }

    /** Everything captured so far. */
    public static synchronized String captured() {
        return capture == null ? "" : capture.text();
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (capture == null) {
            capture = new Capture();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        MotoServer moto = Moto.server(context);
        moto.relaxAuthentication();
        List<String> secrets = new ArrayList<>(EXTRA);
        try (SecretsManagerClient client = moto.configure(SecretsManagerClient.builder()).build()) {
            secrets.addAll(storedCredentials(client));
        }
        String out = captured();
        for (String s : secrets) {
            if (s.length() >= 6 && out.contains(s)) {
                throw new AssertionError("a credential or rotation token (" + s.length()
                        + " characters, starting " + s.substring(0, 2) + "…) was printed by " + context.getDisplayName());
            }
        }
    }

    static List<String> storedCredentials(SecretsManagerClient client) {
        List<String> out = new ArrayList<>();
        for (SecretListEntry secret : client.listSecrets(b -> b.includePlannedDeletion(true)).secretList()) {
            for (SecretVersionsListEntry v : client.listSecretVersionIds(b -> b.secretId(secret.arn()).includeDeprecated(true)).versions()) {
                try {
                    String json = client.getSecretValue(b -> b.secretId(secret.arn()).versionId(v.versionId())).secretString();
                    collect(Json.parse(json), out);
                } catch (RuntimeException noValue) {
                    // an empty pending version, or a secret scheduled for deletion
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((key, value) -> {
                if (value instanceof String s && CREDENTIAL_FIELD.matcher(key).matches() && !ID_FIELD.matcher(key).matches()) {
                    out.add(s);
                } else {
                    collect(value, out);
                }
            });
        }
    }

    /** Tees System.out and System.err into one buffer. */
    private static final class Capture {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Capture() {
            System.setOut(Tee.of(System.out, buffer));
            System.setErr(Tee.of(System.err, buffer));
        }

        String text() {
            return Tee.text(buffer);
        }
    }
}
