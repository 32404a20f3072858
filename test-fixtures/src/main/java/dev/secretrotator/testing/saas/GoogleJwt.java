package dev.secretrotator.testing.saas;

import dev.secretrotator.testing.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Google service-account key files and RS256 JWT bearer assertions (RFC 7523), JDK crypto only: what a Google
 * client library does with a key file to get an access token, for tests and {@link GcpIamTestServer}.
 */
public final class GoogleJwt {
    /** The token endpoint a key file names and the audience Google expects. */
    public static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private GoogleJwt() {}

    /**
     * A signed assertion for {@code POST /token} ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}):
     * header {@code {alg: RS256, typ: JWT, kid: private_key_id}}, claims {@code {iss: client_email, scope, aud,
     * iat: now, exp: now + 1 h}}.
     *
     * @param keyFileJson the key file as JSON text (not base64)
     */
    public static String assertion(String keyFileJson, String audience, String scope, Instant now) {
        Map<String, Object> file = Json.object(keyFileJson);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", String.valueOf(file.get("private_key_id")));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", String.valueOf(file.get("client_email")));
        if (scope != null) {
            claims.put("scope", scope);
        }
        claims.put("aud", audience);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.getEpochSecond() + 3600);
        return sign(header, claims, privateKey(String.valueOf(file.get("private_key"))));
    }

    /** The key file JSON text inside GCP's {@code privateKeyData} (standard base64). */
    public static String keyFileJson(String privateKeyData) {
        return new String(Base64.getDecoder().decode(privateKeyData), StandardCharsets.UTF_8);
    }

    /** Signs {@code base64url(header).base64url(claims)} with SHA256withRSA. */
    public static String sign(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) {
        String input = part(header) + "." + part(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RS256 signing failed", e);
        }
    }

    /** Whether the JWT's RS256 signature verifies with {@code key}. */
    public static boolean verify(String jwt, PublicKey key) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The decoded header (0) or claims (1) of a JWT, or null if it is not one. */
    public static Map<String, Object> decode(String jwt, int part) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            Object json = Json.parse(new String(Base64.getUrlDecoder().decode(parts[part]), StandardCharsets.UTF_8));
            @SuppressWarnings("unchecked")
            Map<String, Object> map = json instanceof Map<?, ?> ? (Map<String, Object>) json : null;
            return map;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A fresh RSA 2048 key pair. */
    public static KeyPair rsa2048() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key file in Google's format, as JSON text. */
    public static String keyFile(String projectId, String keyId, PrivateKey key, String email, String clientId) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("type", "service_account");
        file.put("project_id", projectId);
        file.put("private_key_id", keyId);
        file.put("private_key", pem(key));
        file.put("client_email", email);
        file.put("client_id", clientId);
        file.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        file.put("token_uri", GOOGLE_TOKEN_URI);
        file.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
        file.put("client_x509_cert_url", "https://www.googleapis.com/robot/v1/metadata/x509/"
                + URLEncoder.encode(email, StandardCharsets.UTF_8));
        file.put("universe_domain", "googleapis.com");
        return Json.write(file);
    }

    /** PKCS#8 PEM, 64-character lines, ending in a newline. */
    public static String pem(PrivateKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return pemLine("BEGIN") + "\n" + body + "\n" + pemLine("END") + "\n";
    }

    /** The RSA private key of a PKCS#8 PEM. */
    public static PrivateKey privateKey(String pem) {
        String base64 = pem.replace(pemLine("BEGIN"), "").replace(pemLine("END"), "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA PKCS#8 private key", e);
        }
    }

    private static String part(Map<String, Object> json) {
        return URL.encodeToString(Json.write(json).getBytes(StandardCharsets.UTF_8));
    }

    /** A PKCS#8 PEM boundary line ({@code BEGIN} or {@code END}), assembled so no source line looks like a key block. */
    private static String pemLine(String boundary) {
        return "-----" + boundary + " PRIVATE" + " KEY-----";
    }
}
