package dev.secretrotator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Secrets Manager sends for each step, from {@code events/<step>.json}, with the
 * secret, version token and rotation token filled in (an empty rotation token, as the service
 * sends for same-account rotation, when {@code rotationToken} is null).
 */
public final class EventFixtures {
    public static final String[] STEPS = {"createSecret", "setSecret", "testSecret", "finishSecret"};

    private EventFixtures() {}

    public static String rotation(String step, String secretId, String token, String rotationToken) {
        String template = resource("/events/" + step + ".json");
        String json = template.replace("${SecretId}", secretId).replace("${ClientRequestToken}", token);
        return rotationToken == null
                ? json.replaceAll(",\\s*\"RotationToken\": \"\\$\\{RotationToken}\"", "")
                : json.replace("${RotationToken}", rotationToken);
    }

    static String resource(String path) {
        try (InputStream in = EventFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no event fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
