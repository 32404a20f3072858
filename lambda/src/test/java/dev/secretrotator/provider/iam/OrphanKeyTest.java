package dev.secretrotator.provider.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.provider.FixedHistory;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which keys count as orphans, deleted at once by createSecret: only keys this function minted
 * (in the minting ledger) that no version holds. Regression (issue 13 review): a key newer than
 * the current version, held by no version and never used was deleted while Active, though an
 * operator may have made it for the user between rotations.
 */
class OrphanKeyTest {
    static final Instant CURRENT_SINCE = Instant.parse("2026-11-23T12:00:00.600Z");
    static final Instant LATER = Instant.parse("2026-11-23T13:00:00Z");

    @Test
    void aKeyMintedByAnEarlierAttempt_heldByNoVersion_isAnOrphan() {
        StepContext context = context(Map.of("AKIAORPHAN", "v0"));
        assertThat(MintedKeys.isOrphan(context, new AccessKeys.Key("AKIAORPHAN", true, LATER))).isTrue();
    }

    @Test
    void aNeverUsedKeyNewerThanTheCurrentVersion_notInTheLedger_isNotAnOrphan() {
        StepContext context = context(Map.of());
        assertThat(MintedKeys.isOrphan(context, new AccessKeys.Key("AKIABYHAND", true, LATER))).isFalse();
    }

    @Test
    void aMintedKeyHeldByThePreviousVersion_isNotAnOrphan_andTidyingClearsItsEntry() {
        StepContext context = context(Map.of("AKIAPREVIOUS", "v0", "AKIAGONE", "v0", "AKIAORPHAN", "v1"));
        AccessKeys.Key previous = new AccessKeys.Key("AKIAPREVIOUS", true, LATER);
        AccessKeys.Key orphan = new AccessKeys.Key("AKIAORPHAN", true, LATER);
        assertThat(MintedKeys.isOrphan(context, previous)).isFalse();

        MintedKeys.tidy(context, List.of(previous, orphan));

        assertThat(context.history().minted()).containsOnlyKeys("AKIAORPHAN");
        assertThat(MintedKeys.ofThisRotation(context, orphan)).isTrue();
    }

    private static StepContext context(Map<String, String> minted) {
        SecretValue current = SecretValue.parse("{\"provider\":\"aws-iam\",\"userName\":\"u\",\"accessKeyId\":\"AKIACURRENT\"}");
        FixedHistory history = new FixedHistory(CURRENT_SINCE, Optional.of(current.with("accessKeyId", "AKIAPREVIOUS")),
                new HashMap<>(minted));
        return new StepContext("s", "arn:aws:secretsmanager:us-east-1:111122223333:secret:s", "v1", current, Optional.empty(),
                Optional.empty(), false, history, ProviderServices.builder().build());
    }
}
