package dev.secretrotator.provider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short, non-reversible identifier of a secret value's credentials: {@code sha256:<12 hex>}. */
public final class Fingerprint {
    private Fingerprint() {}

    public static String of(SecretValue value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String s : value.sensitiveValues()) {
                digest.update(s.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return "sha256:" + HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
