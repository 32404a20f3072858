package dev.secretrotator.cdk.config;

import dev.secretrotator.cdk.RiskTier;
import dev.secretrotator.cdk.Stage;

/**
 * One secret of the configuration file.
 *
 * @param name                      stable construct id of its rotation ({@code [A-Za-z0-9-]+}, unique)
 * @param secretArn                 complete secret ARN (with the 6-character suffix)
 * @param provider                  {@code aws-iam}, {@code weaviate}, {@code http-api-key} or {@code random-password}
 * @param tier                      how often it rotates
 * @param environment               which week of the month it rotates
 * @param rotateImmediatelyOnUpdate rotate when the schedule is created or changed (default false)
 * @param stack                     the nested stack its schedule goes into ({@code [A-Za-z0-9-]+}), or null
 *                                  for the main stack; stable, like {@code name} (docs/deployment.md, Sizing)
 * @param stagingTwinArn            complete ARN of the staging twin that gates this secret's rotation, or null
 *                                  (in the file: {@code "stagingTwin"}, the name of another entry)
 */
public record SecretEntry(String name, String secretArn, String provider, RiskTier tier, Stage environment,
                          boolean rotateImmediatelyOnUpdate, String stack, String stagingTwinArn) {

    public SecretEntry withStagingTwinArn(String arn) {
        return new SecretEntry(name, secretArn, provider, tier, environment, rotateImmediatelyOnUpdate, stack, arn);
    }
}
