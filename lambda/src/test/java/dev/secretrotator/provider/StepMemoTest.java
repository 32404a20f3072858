package dev.secretrotator.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StepMemoTest {

    @Test
    void get_readsOncePerKey() {
        // GIVEN a memo
        StepMemo memo = new StepMemo();
        AtomicInteger reads = new AtomicInteger();

        // WHEN one key is asked for twice, another once
        String first = memo.get("a", () -> "value-" + reads.incrementAndGet());
        String again = memo.get("a", () -> "value-" + reads.incrementAndGet());
        String other = memo.get("b", () -> "value-" + reads.incrementAndGet());

        // THEN each key was read once
        assertThat(first).isEqualTo("value-1").isEqualTo(again);
        assertThat(other).isEqualTo("value-2");
        assertThat(reads).hasValue(2);
    }

    @Test
    void get_whenTheReadFailsOrAnswersNull_readsAgainNextTime() {
        // GIVEN a memo whose first read fails and second answers null
        StepMemo memo = new StepMemo();

        // WHEN
        assertThatThrownBy(() -> memo.get("a", () -> {
            throw new IllegalStateException("throttled");
        })).hasMessage("throttled");
        String none = memo.get("a", () -> null);

        // THEN neither was remembered
        assertThat(none).isNull();
        assertThat(memo.<String>get("a", () -> "read")).isEqualTo("read");
    }
}
