package dev.secretrotator.cdk;

/**
 * A resource tag that marks the secrets a rotator deployment may rotate, for example
 * {@code secret-rotator:deployment = platform}. Used as an IAM condition
 * ({@code aws:ResourceTag/<key>}) so teams can onboard a secret by tagging it, without a change
 * to the rotator's stack. The rotator's role has no {@code TagResource} permission, so it cannot
 * widen its own reach.
 */
public record SecretTag(String key, String value) {
}
