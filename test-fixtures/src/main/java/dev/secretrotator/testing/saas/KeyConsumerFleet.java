package dev.secretrotator.testing.saas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Consumers of a rotated SaaS key: threads that each hold the secret they last read, re-read it
 * every {@code refresh}, and call the vendor with it without pause (a few milliseconds apart).
 * A call that does not answer 2xx is a failure, noted with the key id (never the key). Bounded:
 * every thread stops at {@link #close()} or after {@code maxRun}.
 */
public final class KeyConsumerFleet implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final Set<String> keyIds = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> failureNotes = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final int size;
    private final long started = System.nanoTime();
    private volatile long stopped;

    /**
     * What the fleet did.
     *
     * @param consumers threads
     * @param calls calls to the vendor
     * @param failures calls refused or unanswered
     * @param reads secret reads
     * @param distinctKeys key ids the consumers used
     * @param duration how long the fleet ran
     */
    public record Figures(int consumers, long calls, long failures, long reads, int distinctKeys, Duration duration) {
        @Override
        public String toString() {
            return consumers + " consumers, " + calls + " calls, " + failures + " failed, " + reads + " secret reads, "
                    + distinctKeys + " distinct keys used, " + duration.toMillis() + " ms";
        }
    }

    /**
     * @param reader reads the secret's AWSCURRENT value, parsed
     * @param call one call to the vendor with that value; returns the HTTP status
     */
    public KeyConsumerFleet(int size, Duration refresh, Duration maxRun,
            Supplier<Map<String, Object>> reader, ToIntFunction<Map<String, Object>> call) {
        this.size = size;
        long deadline = System.nanoTime() + maxRun.toNanos();
        for (int i = 0; i < size; i++) {
            Thread t = new Thread(() -> loop(refresh, deadline, reader, call), "key-consumer-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(Duration refresh, long deadline, Supplier<Map<String, Object>> reader,
            ToIntFunction<Map<String, Object>> call) {
        Map<String, Object> secret = null;
        long readAt = 0;
        while (running.get() && System.nanoTime() < deadline) {
            try {
                if (secret == null || System.nanoTime() - readAt >= refresh.toNanos()) {
                    secret = reader.get();
                    readAt = System.nanoTime();
                    reads.incrementAndGet();
                }
                String keyId = String.valueOf(secret.get("keyId"));
                keyIds.add(keyId);
                int status = call.applyAsInt(secret);
                calls.incrementAndGet();
                if (status < 200 || status >= 300) {
                    failures.incrementAndGet();
                    failureNotes.add("HTTP " + status + " with key id " + keyId);
                }
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a failed secret read is the consumer's problem, not the key's: note it, count it
                failures.incrementAndGet();
                failureNotes.add(e.getClass().getSimpleName());
            }
        }
    }

    public long calls() {
        return calls.get();
    }

    public long failures() {
        return failures.get();
    }

    public List<String> failureNotes() {
        return List.copyOf(failureNotes);
    }

    /** Stops the consumers, waits for them and returns the figures. */
    public Figures stop() {
        close();
        return figures();
    }

    public Figures figures() {
        long end = stopped == 0 ? System.nanoTime() : stopped;
        return new Figures(size, calls.get(), failures.get(), reads.get(), keyIds.size(), Duration.ofNanos(end - started));
    }

    @Override
    public void close() {
        if (running.getAndSet(false)) {
            for (Thread t : threads) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            stopped = System.nanoTime();
        }
    }
}
