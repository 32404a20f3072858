package dev.secretrotator.engine;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.config.RotatorConfig;

/**
 * The deployment's pin on which secrets this function may act on
 * ({@code ROTATOR_ALLOWED_SECRET_ARNS} and, in tag mode, {@code ROTATOR_SECRET_TAG}; design.md §2
 * rule 9): the rotation steps and every
 * operation (sweep, emergency, rollback, repair) check it right after {@code DescribeSecret},
 * before any call that changes something.
 */
public final class AllowList {
    private AllowList() {}

    /**
     * @param operation what was asked, for the message ("rotate", "sweep", "roll back", ...)
     * @throws RotationStateException naming the secret and the operation when the ARN is not allowed
     */
    public static void require(RotatorConfig config, SecretMetadata secret, String operation) {
        if (!config.secretAllowed(secret.arn(), secret.tags())) {
            throw new RotationStateException("this function may not " + operation + " " + secret.arn()
                    + ": " + reason(config, secret.arn()) + "; nothing was changed");
        }
    }

    /** Why a secret is refused, and how to fix it (no values, only the selector). */
    public static String reason(RotatorConfig config, String secretArn) {
        if (!config.secretAllowed(secretArn)) {
            return "it is not in ROTATOR_ALLOWED_SECRET_ARNS; add it there or use the function meant for it";
        }
        return "it does not carry the tag " + config.secretTag().map(Object::toString).orElse("")
                + " (ROTATOR_SECRET_TAG); tag it or use the function meant for it";
    }
}
