package dev.secretrotator.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.TargetServiceException;
import dev.secretrotator.provider.Deadline;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    @Test
    void ofRemaining_keepsTheSafetyMarginBack_andCapsTimeouts() {
        // GIVEN 5 s left in the invocation
        Deadline deadline = Deadline.ofRemaining(5_000);

        // THEN about 3 s may be used, and a 10 s request timeout is cut to that
        assertThat(deadline.remaining()).isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(3));
        assertThat(deadline.cap(Duration.ofSeconds(10))).isLessThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(deadline.cap(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(100));
        assertThat(deadline.allows(Duration.ofSeconds(4))).isFalse();
        assertThat(deadline.allows(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void lessTimeThanTheMargin_isAlreadyPassed_andCheckFailsWithTheFunctionsOwnMessage() {
        Deadline deadline = Deadline.ofRemaining(1_000);

        assertThat(deadline.remaining()).isZero();
        assertThat(deadline.cap(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(1));
        assertThatThrownBy(() -> deadline.check("polling")).isInstanceOf(TargetServiceException.class)
                .hasMessageContaining("stopped polling").hasMessageContaining("before the function's timeout")
                .hasMessageContaining("1000 ms");
    }

    @Test
    void current_isNoneOutsideAnInvocation_andTheInvocationsDeadlineWithin() {
        assertThat(Deadline.current().isSet()).isFalse();
        Deadline inner = Deadline.ofRemaining(60_000);

        Deadline seen = Deadline.runWithin(inner, Deadline::current);

        assertThat(seen).isSameAs(inner);
        assertThat(Deadline.current().isSet()).isFalse();
        assertThat(Deadline.none().cap(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void atMost_takesTheSoonerEnd_andAnExhaustedBudgetFailsNamingIt() {
        Deadline function = Deadline.ofRemaining(60_000);
        Deadline budget = function.atMost(Duration.ofSeconds(5), "the claim's 5 s");
        assertThat(budget.remaining()).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(function.atMost(Duration.ofMinutes(5), "a long budget")).isSameAs(function);
        assertThat(Deadline.none().atMost(Duration.ofSeconds(5), "the claim's 5 s").remaining())
                .isLessThanOrEqualTo(Duration.ofSeconds(5));

        Deadline spent = function.atMost(Duration.ZERO, "the claim's 0 s");
        assertThatThrownBy(() -> spent.check("storing the value")).isInstanceOf(TargetServiceException.class)
                .hasMessageContaining("stopped storing the value: the claim's 0 s ran out");
    }
}
