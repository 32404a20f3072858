package dev.secretrotator.provider.http;

import java.util.Map;

/**
 * The headers that authenticate one request, rendered from a profile's auth template.
 * {@link #toString()} shows only {@link #description()}.
 *
 * @param headers header name to value (values are credentials)
 * @param description what authenticates, for messages (a key id or an admin secret ARN, never a value)
 */
record Credential(Map<String, String> headers, String description) {
    Credential {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "Credential[" + description + "]";
    }
}
