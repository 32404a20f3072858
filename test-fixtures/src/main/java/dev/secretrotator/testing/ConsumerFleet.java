package dev.secretrotator.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Consumers of a rotated secret: threads that each read the secret (through whatever reader the
 * test gives, typically AWS's caching client with a short refresh) and call the target with it,
 * over and over, counting calls and failures. A failure is a call the target refused.
 */
public final class ConsumerFleet implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failureNotes = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param reader returns the secret string the consumer currently holds
     * @param call uses it against the target; false (or an exception) means refused
     */
    public ConsumerFleet(int size, long pauseMillis, Supplier<String> reader, Predicate<String> call) {
        for (int i = 0; i < size; i++) {
            Thread t = new Thread(() -> loop(pauseMillis, reader, call), "consumer-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(long pauseMillis, Supplier<String> reader, Predicate<String> call) {
        while (running.get()) {
            boolean ok;
            try {
                ok = call.test(reader.get());
            } catch (RuntimeException e) {
                ok = false;
                failureNotes.add(e.getClass().getSimpleName());
            }
            calls.incrementAndGet();
            if (!ok) {
                failures.incrementAndGet();
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                return;
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

    /** Stops the consumers and waits for them. */
    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
