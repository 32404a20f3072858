package dev.secretrotator.provider.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.VerificationException;
import dev.secretrotator.config.Verification;
import dev.secretrotator.provider.weaviate.WeaviateClient.OwnInfo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyVerifierTest {
    static final OwnInfo OK = new OwnInfo(200, Optional.of("app_b"), "HTTP 200");
    static final OwnInfo UNAUTHORIZED = new OwnInfo(401, Optional.empty(), "HTTP 401");

    long now;
    final List<Duration> sleeps = new ArrayList<>();
    final KeyVerifier verifier = new KeyVerifier(d -> {
        sleeps.add(d);
        now += d.toNanos();
    }, () -> now);

    static KeyVerifier.OwnInfoCall answers(OwnInfo... answers) {
        Deque<OwnInfo> queue = new ArrayDeque<>(List.of(answers));
        return key -> queue.size() > 1 ? queue.poll() : queue.peek();
    }

    @Test
    void verify_needsConsecutiveSuccesses_aFailureStartsTheCountAgain() {
        // GIVEN a key accepted, refused once (a lagging node), then accepted
        KeyVerifier.OwnInfoCall target = answers(OK, OK, UNAUTHORIZED, OK, OK, OK);

        // WHEN it is verified with three successes in a row required
        int calls = verifier.verify(target, "k", "app_b", new Verification(Duration.ofSeconds(10), 3));

        // THEN it took the refusal plus three successes after it
        assertThat(calls).isEqualTo(6);
    }

    @Test
    void verify_keyOfAnotherUser_failsAtOnce() {
        OwnInfo other = new OwnInfo(200, Optional.of("someone_else"), "HTTP 200");
        assertThatThrownBy(() -> verifier.verify(answers(other), "k", "app_b", new Verification(Duration.ofSeconds(10), 3)))
                .isInstanceOf(VerificationException.class).hasMessageContaining("someone_else").hasMessageContaining("app_b");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void verify_neverAccepted_failsWhenTheBudgetIsSpent_withBoundedBackoff() {
        // GIVEN a key always refused
        Verification verification = new Verification(Duration.ofSeconds(10), 3);

        // WHEN verified
        assertThatThrownBy(() -> verifier.verify(answers(UNAUTHORIZED), "k", "app_b", verification))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("PT10S").hasMessageContaining("HTTP 401").hasMessageContaining("AWSCURRENT is unchanged");

        // THEN the pauses grew, never beyond the cap, and stayed within the budget
        assertThat(sleeps.get(1)).isGreaterThan(sleeps.get(0));
        assertThat(sleeps).allMatch(d -> d.compareTo(KeyVerifier.MAX_DELAY) <= 0);
        assertThat(sleeps.stream().mapToLong(Duration::toNanos).sum()).isEqualTo(Duration.ofSeconds(10).toNanos());
    }
}
