package dev.secretrotator.cdk;

/**
 * A resource tag that marks the secrets a rotator deployment may rotate, for example
 * {@code rotation-deployment = platform}. Used as an IAM condition
 * ({@code aws:ResourceTag/<key>}) so teams can onboard a secret by tagging it, without a change
 * to the rotator's stack. The rotator's role may only tag with keys under {@code secret-rotator:}
 * and is explicitly denied tagging with this key, so it cannot widen its own reach; that is why
 * the construct refuses a key under {@code secret-rotator:} (and the reserved {@code aws:}).
 */
public record SecretTag(String key, String value) {
}
