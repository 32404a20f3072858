package dev.secretrotator.provider.http;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The headers that authenticate one request, rendered from a profile's auth template, and the
 * token request to make first when the template has a token step (its access token then replaces
 * {@link #ACCESS_TOKEN_SLOT} in the headers). {@link #toString()} shows only {@link #description()}.
 *
 * @param headers header name to value (values are credentials)
 * @param description what authenticates, for messages (a key id or an admin secret ARN, never a value)
 * @param token the token request to make before using the headers, if any
 */
record Credential(Map<String, String> headers, String description, Optional<TokenRequest> token) {
    /** Stands for the access token in rendered headers until the token request has answered. */
    static final String ACCESS_TOKEN_SLOT = "\u0000access-token\u0000";

    Credential {
        headers = Map.copyOf(headers);
    }

    Credential(Map<String, String> headers, String description) {
        this(headers, description, Optional.empty());
    }

    /** The headers with the access token in place of {@link #ACCESS_TOKEN_SLOT}. */
    Map<String, String> headersWith(String accessToken) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        headers.forEach((name, value) -> out.put(name, value.replace(ACCESS_TOKEN_SLOT, accessToken)));
        return out;
    }

    @Override
    public String toString() {
        return "Credential[" + description + "]";
    }

    /**
     * A rendered OAuth 2.0 token request: {@code POST uri} with a form body. Values are credentials;
     * {@link #toString()} shows only the path template.
     *
     * @param uri the token service's URL
     * @param form the form fields (grant type, client credentials or assertion, scope)
     * @param headers extra headers (HTTP Basic client authentication)
     * @param path the profile's path template, for messages
     */
    record TokenRequest(URI uri, Map<String, String> form, Map<String, String> headers, String path) {
        TokenRequest {
            form = Map.copyOf(form);
            headers = Map.copyOf(headers);
        }

        @Override
        public String toString() {
            return "TokenRequest[POST " + path + "]";
        }
    }
}
