package dev.secretrotator.engine;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.config.RotatorConfig;

/**
 * The deployment's pin on which secrets this function may act on
 * ({@code ROTATOR_ALLOWED_SECRET_ARNS}, design.md §2 rule 9): the rotation steps and every
 * operation (sweep, emergency, rollback, repair) check it right after {@code DescribeSecret},
 * before any call that changes something.
 */
public final class AllowList {
    private AllowList() {}

    /**
     * @param operation what was asked, for the message ("rotate", "sweep", "roll back", ...)
     * @throws RotationStateException naming the secret and the operation when the ARN is not allowed
     */
    public static void require(RotatorConfig config, String secretArn, String operation) {
        if (!config.secretAllowed(secretArn)) {
            throw new RotationStateException("this function may not " + operation + " " + secretArn
                    + ": it is not in ROTATOR_ALLOWED_SECRET_ARNS; add it there or use the function meant for it;"
                    + " nothing was changed");
        }
    }
}
