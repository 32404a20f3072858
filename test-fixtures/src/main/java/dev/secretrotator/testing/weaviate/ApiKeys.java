package dev.secretrotator.testing.weaviate;

import java.security.SecureRandom;
import java.util.Base64;

/** Random API keys: 32 bytes from {@link SecureRandom}, URL-safe Base64 without padding (43 characters). */
final class ApiKeys {
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    static String generate() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
