package dev.secretrotator.provider;

import dev.secretrotator.TargetServiceException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * When the current invocation must stop working so that it still fails with its own message
 * before Lambda kills it: the function's remaining time minus a safety margin (for the error,
 * the log lines and the metrics). Polling loops consult it before each wait, and network calls
 * cap their request timeouts with it. The handler sets it for each invocation with
 * {@link #runWithin}; code below reads it with {@link #current()} ({@link #none()} outside an
 * invocation). A thread-local, because tests run several invocations at once on one handler.
 *
 * <p>Immutable and thread-safe; based on {@link System#nanoTime()}.
 */
public final class Deadline {
    /** Time kept back for failing cleanly: the error, its log line and metrics. */
    public static final Duration SAFETY_MARGIN = Duration.ofSeconds(2);

    private static final Deadline NONE = new Deadline(Long.MAX_VALUE, Duration.ZERO, null);
    private static final ThreadLocal<Deadline> CURRENT = ThreadLocal.withInitial(() -> NONE);

    private final long endNanos;
    private final Duration functionRemaining;
    /** What set this deadline when it is not the function's timeout, for the message; else null. */
    private final String budget;

    private Deadline(long endNanos, Duration functionRemaining, String budget) {
        this.endNanos = endNanos;
        this.functionRemaining = functionRemaining;
        this.budget = budget;
    }

    /** The deadline of the invocation running on this thread, or {@link #none()}. */
    public static Deadline current() {
        return CURRENT.get();
    }

    /** Runs one invocation's work on this thread with {@code limit} as its {@link #current()} deadline. */
    public static <T> T runWithin(Deadline limit, Supplier<T> work) {
        Deadline outer = CURRENT.get();
        CURRENT.set(Objects.requireNonNull(limit, "limit must not be null"));
        try {
            return work.get();
        } finally {
            CURRENT.set(outer);
        }
    }

    /** No limit (tests, the CLI without a budget). */
    public static Deadline none() {
        return NONE;
    }

    /**
     * @param remainingMillis what Lambda's {@code Context.getRemainingTimeInMillis()} says now
     */
    public static Deadline ofRemaining(long remainingMillis) {
        Duration remaining = Duration.ofMillis(Math.max(0, remainingMillis));
        return new Deadline(System.nanoTime() + remaining.minus(SAFETY_MARGIN).toNanos(), remaining, null);
    }

    /**
     * This deadline, or one {@code budget} from now if that is sooner: for work that must end
     * within a time it promised others (e.g. a claim's lease).
     *
     * @param why what the budget is, for the message of {@link #exceeded} (no values)
     */
    public Deadline atMost(Duration budget, String why) {
        long end = System.nanoTime() + budget.toNanos();
        return !isSet() || end - endNanos < 0 ? new Deadline(end, functionRemaining, Objects.requireNonNull(why, "why")) : this;
    }

    /** Whether this deadline limits anything. */
    public boolean isSet() {
        return this != NONE;
    }

    /** Time left before the deadline; zero once passed. */
    public Duration remaining() {
        if (!isSet()) {
            return Duration.ofSeconds(Long.MAX_VALUE);
        }
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    /** Whether {@code work} still fits before the deadline. */
    public boolean allows(Duration work) {
        return remaining().compareTo(work) > 0;
    }

    /** {@code timeout}, shortened to the time left (never below 1 ms: a timeout must be positive). */
    public Duration cap(Duration timeout) {
        Duration left = remaining();
        Duration capped = left.compareTo(timeout) < 0 ? left : timeout;
        return capped.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : capped;
    }

    /**
     * Throws {@link #exceeded} if the deadline has passed.
     *
     * @param doing what was being done, for the message (no values)
     */
    public void check(String doing) {
        if (isSet() && remaining().isZero()) {
            throw exceeded(doing);
        }
    }

    /** The failure of work stopped at this deadline: retryable, the function's own message. */
    public TargetServiceException exceeded(String doing) {
        if (budget != null) {
            return new TargetServiceException("stopped " + doing + ": " + budget + " ran out; nothing after this point ran;"
                    + " Secrets Manager retries the rotation");
        }
        return new TargetServiceException("stopped " + doing + " " + SAFETY_MARGIN.toSeconds()
                + " s before the function's timeout (it had " + functionRemaining.toMillis() + " ms when the invocation started);"
                + " nothing after this point ran. Raise the function's timeout above the verification timeout plus 30 s;"
                + " Secrets Manager retries the rotation");
    }

    @Override
    public String toString() {
        return isSet() ? "Deadline[" + remaining().toMillis() + " ms left]" : "Deadline[none]";
    }
}
