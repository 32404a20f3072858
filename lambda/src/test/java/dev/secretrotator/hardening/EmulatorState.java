package dev.secretrotator.hardening;

import dev.secretrotator.testing.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;

/** What the emulator holds, for before/after comparison and for leak checks. */
final class EmulatorState {
    private static final Pattern CREDENTIAL_FIELD =
            Pattern.compile("(?i).*(password|secret|apikey|api_key|token|privatekey|value|key).*");
    private static final Pattern ID_FIELD = Pattern.compile("(?i).*(id|arn|name|endpoint|url|field)$");

    private EmulatorState() {}

    /** Every secret's tags and rotation flag, and every version's labels and value. */
    static Map<String, String> snapshot(SecretsManagerClient client) {
        Map<String, String> state = new TreeMap<>();
        for (SecretListEntry s : client.listSecrets(b -> b.includePlannedDeletion(true)).secretList()) {
            var d = client.describeSecret(b -> b.secretId(s.arn()));
            state.put(s.name(), "rotation=" + d.rotationEnabled() + " deleted=" + d.deletedDate() + " tags=" + new TreeMap<>(
                    d.tags().stream().collect(java.util.stream.Collectors.toMap(t -> t.key(), t -> t.value()))));
            for (SecretVersionsListEntry v : client.listSecretVersionIds(b -> b.secretId(s.arn()).includeDeprecated(true)).versions()) {
                state.put(s.name() + "/" + v.versionId(), new java.util.TreeSet<>(v.versionStages()) + "=" + value(client, s.arn(), v.versionId()));
            }
        }
        return state;
    }

    /** Every credential-like string stored in any version of any secret. */
    static List<String> storedCredentials(SecretsManagerClient client) {
        List<String> out = new ArrayList<>();
        for (SecretListEntry s : client.listSecrets(b -> b.includePlannedDeletion(true)).secretList()) {
            for (SecretVersionsListEntry v : client.listSecretVersionIds(b -> b.secretId(s.arn()).includeDeprecated(true)).versions()) {
                try {
                    collect(Json.parse(value(client, s.arn(), v.versionId())), out);
                } catch (RuntimeException notJson) {
                    // a malformed value on purpose, or none
                }
            }
        }
        return out;
    }

    private static String value(SecretsManagerClient client, String arn, String versionId) {
        try {
            var r = client.getSecretValue(b -> b.secretId(arn).versionId(versionId));
            return r.secretString() != null ? r.secretString() : r.secretBinary() != null ? "(binary)" : "(none)";
        } catch (RuntimeException none) {
            return "(none)";
        }
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((key, value) -> {
                if (value instanceof String s && CREDENTIAL_FIELD.matcher(key).matches() && !ID_FIELD.matcher(key).matches()
                        && s.length() >= 6) {
                    out.add(s);
                } else {
                    collect(value, out);
                }
            });
        }
    }
}
