package dev.secretrotator.provider.http;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The RFC 7523 JWT-bearer assertion of a service-account key file in Google's JSON format
 * ({@code private_key} PEM PKCS#8, {@code client_email}, {@code private_key_id}), signed RS256
 * with the JDK. The key file may be the JSON text or base64 of it (as the IAM API's
 * {@code privateKeyData} returns it). The key file's own {@code token_uri} is never used: the
 * audience is the token URL the profile names and the allow-list admits. Errors name the field,
 * never a value.
 */
final class JwtAssertion {
    /** An assertion is valid for this long (Google's maximum is one hour). */
    static final long LIFETIME_SECONDS = 3600;

    private JwtAssertion() {}

    /**
     * @param keyFile the key file (JSON, or base64 of it)
     * @param audience the token URL the assertion is posted to
     * @param scope the scope to ask for, if any
     * @param now the time of issue
     * @param what the key file's holder, for messages ({@code key 1a2b…}, {@code admin secret arn:…})
     * @param redact registers the private key as it is read from the file, so no output can show it
     */
    static String sign(String keyFile, String audience, Optional<String> scope, Instant now, String what,
            java.util.function.Consumer<String> redact) {
        Map<String, Object> file = parse(keyFile, what);
        String email = field(file, "client_email", what);
        String keyId = field(file, "private_key_id", what);
        String pem = field(file, "private_key", what);
        redact.accept(pem);
        PrivateKey key = privateKey(pem, what);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", keyId);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", email);
        scope.ifPresent(s -> claims.put("scope", s));
        claims.put("aud", audience);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.getEpochSecond() + LIFETIME_SECONDS);
        String signingInput = base64url(json(header)) + "." + base64url(json(claims));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new InvalidInputException("the key file of " + what + " could not sign a token request ("
                    + e.getClass().getSimpleName() + "): its private_key must be an RSA key");
        }
    }

    private static Map<String, Object> parse(String keyFile, String what) {
        String text = keyFile.strip();
        if (!text.startsWith("{")) {
            try {
                text = new String(Base64.getMimeDecoder().decode(text), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("the key file of " + what + " is neither JSON nor base64 of JSON");
            }
        }
        try {
            return JSON.std.mapFrom(text);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("the key file of " + what + " is not a JSON object (a service-account key file)");
        }
    }

    private static String field(Map<String, Object> file, String name, String what) {
        if (file.get(name) instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new InvalidInputException("the key file of " + what + " has no \"" + name + "\": it must be a service-account"
                + " key file in Google's JSON format");
    }

    private static PrivateKey privateKey(String pem, String what) {
        String body = pem.replace(boundary("BEGIN"), "").replace(boundary("END"), "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidInputException("the key file of " + what + " has a \"private_key\" that is not a PKCS#8 RSA"
                    + " key in PEM (" + boundary("BEGIN") + ")");
        }
    }

    /** A PKCS#8 PEM boundary line, assembled so no source line looks like a key block. */
    private static String boundary(String which) {
        return "-----" + which + " PRIVATE" + " KEY-----";
    }

    private static byte[] json(Map<String, Object> object) {
        try {
            return JSON.std.asBytes(object);
        } catch (IOException e) {
            throw new IllegalStateException("a JWT part could not be written", e);
        }
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
