package dev.secretrotator.engine;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.InvalidInputException;
import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.TargetServiceException;
import dev.secretrotator.provider.Deadline;
import dev.secretrotator.provider.ProviderServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Makes one rotation's createSecret exclusive, for providers that ask for it
 * ({@link dev.secretrotator.provider.RotationProvider#exclusiveCreate()}).
 *
 * <p>Secrets Manager's one compare-and-set is {@code PutSecretValue} under a
 * {@code ClientRequestToken}: the first value stored under a version id stays, a different one
 * is refused. A claim is such a version: labelled {@link #STAGE} only (never {@code AWSCURRENT}
 * or {@code AWSPENDING}), holding no secret but its owner (a random id per invocation), the
 * rotation's token and when its lease ends. Its version id derives from the rotation's token and
 * a generation number. The invocation that stores generation <i>n</i> holds the claim; another
 * one waits for the pending value the holder stores. A generation whose label is gone (released)
 * or whose lease has passed is taken over by storing generation <i>n</i>+1.
 *
 * <p>The lease is {@link #BUDGET} from just before the claim is stored, plus {@link #SKEW}. The
 * holder stores the claim, checks again that no value is stored, creates the credential and
 * stores it, all under a {@link Deadline} that ends with the budget: every call it makes ends by
 * then (the HTTP and {@code PutSecretValue} timeouts are capped by it), and {@code SKEW} covers
 * clocks that differ and requests still travelling. It then removes the label; after a failure
 * with an answer (a refusal, a 5xx) too, but not after a call that got none (a timeout, a lost
 * connection), which may still take effect: that claim runs out its lease. finishSecret removes
 * a label left behind.
 *
 * <p>A released claim stays as a deprecated version without labels, which Secrets Manager leaves
 * out of {@code DescribeSecret} and deletes in time. Thread-safe.
 */
public final class CreateClaim {
    /** The staging label of a claim being held. */
    public static final String STAGE = "secret-rotator-claim";
    /** The longest a holder works: create the credential and store it (normally well under a second). */
    public static final Duration BUDGET = Duration.ofSeconds(20);
    /** Added to a lease for clocks that differ between invocations and for calls still in flight. */
    public static final Duration SKEW = Duration.ofSeconds(10);
    /** Claims tried in one invocation before giving up (each taken by another invocation meanwhile). */
    static final int MAX_TRIES = 16;
    /** Generations looked for when skipping to the latest: more than a rotation's retries ever use. */
    static final int GENERATION_SCAN = 10_000;
    static final Duration POLL = Duration.ofMillis(250);
    private static final String FIELD = "secret-rotator:claim";

    private final SecretStore store;
    private final ProviderServices services;

    CreateClaim(SecretStore store, ProviderServices services) {
        this.store = store;
        this.services = services;
    }

    /**
     * Runs {@code createAndStore} holding the claim of {@code request}'s rotation, unless
     * {@code stored} says (before, or after waiting for another holder) that the pending value is
     * already stored.
     *
     * @return the outcome, for the step's log line
     * @throws RotationStateException if another invocation holds the claim and stores nothing
     *     before this one must stop; nothing was changed
     */
    String run(RotationRequest request, BooleanSupplier stored, Supplier<String> createAndStore) {
        String owner = UUID.randomUUID().toString();
        int generation = 0;
        boolean skipped = false;
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            String version = versionId(request.clientRequestToken(), generation);
            Duration budget = Deadline.current().cap(BUDGET);
            // the lease counts from before the claim is stored; every call of the holder ends within budget
            Deadline limit = Deadline.current().atMost(budget, "the createSecret claim's " + budget.toSeconds()
                    + " s to create and store the credential");
            Instant until = services.clock().instant().plus(budget).plus(SKEW);
            String claim = json(owner, until, request.clientRequestToken());
            if (Deadline.runWithin(limit, () -> store.putIfAbsent(request.secretId(), version, claim, STAGE, request.rotationToken()))) {
                return holding(request, version, until, limit, stored, createAndStore);
            }
            Optional<Instant> held = heldUntil(request.secretId(), version);
            if (held.isPresent() && awaitStored(request, version, held.get(), stored)) {
                return "pending value stored by a concurrent invocation";
            }
            int next = generation + 1;
            if (!skipped) {
                // earlier attempts of this rotation may have used many generations: go to the latest at once
                next = Math.max(next, latestGeneration(request));
                skipped = true;
            }
            generation = next;
        }
        throw new RotationStateException("createSecret of this rotation found its claim taken " + MAX_TRIES + " times in one"
                + " invocation; nothing was changed. Secrets Manager retries the rotation");
    }

    /** The version id of a claim generation: a name-based UUID of the rotation's token, not a secret. */
    public static String versionId(String rotationVersionId, int generation) {
        return UUID.nameUUIDFromBytes((FIELD + ":" + rotationVersionId + ":" + generation).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * Checks again that no value is stored, then creates and stores it, all within {@code limit}.
     * Releases the claim unless a call failed without an answer (a timeout, a lost connection):
     * such a call may still take effect, so the claim is left to run out its lease.
     */
    private String holding(RotationRequest request, String version, Instant until, Deadline limit, BooleanSupplier stored,
            Supplier<String> createAndStore) {
        String outcome;
        try {
            outcome = Deadline.runWithin(limit, () -> stored.getAsBoolean()
                    ? "pending value already stored: nothing to do" : createAndStore.get());
        } catch (RuntimeException e) {
            if (outcomeUnknown(e)) {
                services.telemetry().warn("a call of this createSecret got no answer and may still take effect: the claim"
                        + " is kept until its lease ends", fields(request, version, until));
            } else {
                release(request, version);
            }
            throw e;
        }
        release(request, version);
        return outcome;
    }

    /** Whether the failure came without an answer from the service called (it may still act on the request). */
    static boolean outcomeUnknown(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof SdkClientException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The highest claim generation of this rotation that exists, or 0: one
     * {@code ListSecretVersionIds} with deprecated versions instead of a probe per generation.
     */
    private int latestGeneration(RotationRequest request) {
        Set<String> versions = store.versionIds(request.secretId());
        int latest = 0;
        for (int g = 1; g <= GENERATION_SCAN; g++) {
            if (versions.contains(versionId(request.clientRequestToken(), g))) {
                latest = g;
            }
        }
        return latest;
    }

    /**
     * Waits while another invocation holds the claim: true once the pending value is stored;
     * false once the claim was released or expired (take the next generation).
     */
    private boolean awaitStored(RotationRequest request, String version, Instant until, BooleanSupplier stored) {
        services.telemetry().info("another invocation of createSecret holds this rotation's claim; waiting for the"
                + " value it stores", fields(request, version, until));
        long waitEnd = System.nanoTime() + Deadline.current().cap(Duration.between(services.clock().instant(), until)
                .plus(POLL)).toNanos();
        while (true) {
            if (stored.getAsBoolean()) {
                return true;
            }
            if (heldUntil(request.secretId(), version).isEmpty()) {
                return false;
            }
            if (System.nanoTime() - waitEnd >= 0 || !Deadline.current().allows(POLL)) {
                throw new RotationStateException("another invocation of createSecret holds this rotation's claim"
                        + " (version " + version + ", label " + STAGE + ", until " + until + ") and has stored no value yet;"
                        + " nothing was changed. Secrets Manager retries the rotation; an abandoned claim expires by then");
            }
            pause();
        }
    }

    /** When the claim in {@code version} expires, if it is held: labelled and not yet expired. */
    private Optional<Instant> heldUntil(String secretId, String version) {
        Optional<SecretStore.StoredVersion> claim = store.version(secretId, version);
        if (claim.isEmpty() || !claim.get().stages().contains(STAGE)) {
            return Optional.empty();
        }
        Instant until = until(claim.get().value(), version);
        return services.clock().instant().isBefore(until) ? Optional.of(until) : Optional.empty();
    }

    /**
     * Removes the claim label from {@code version}; a failure is logged, not raised: the claim
     * expires on its own, and finishSecret removes a label left behind.
     */
    void release(RotationRequest request, String version) {
        try {
            store.removeStage(request.secretId(), STAGE, version);
        } catch (RotationException e) {
            services.telemetry().warn("could not release this rotation's createSecret claim; it expires on its own",
                    Map.of("secretId", request.secretId(), "claimVersionId", version, "reason", e.reason()));
        }
    }

    private static String json(String owner, Instant until, String rotationVersionId) {
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("owner", owner);
        claim.put("until", until.toString());
        claim.put("rotation", rotationVersionId);
        try {
            return JSON.std.asString(Map.of(FIELD, claim));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a claim", e);
        }
    }

    private static Instant until(String json, String version) {
        try {
            Object claim = json == null ? null : JSON.std.mapFrom(json).get(FIELD);
            if (claim instanceof Map<?, ?> map && map.get("until") instanceof String until) {
                return Instant.parse(until);
            }
        } catch (IOException | DateTimeParseException e) {
            // reported below
        }
        throw new InvalidInputException("the version " + version + " labelled " + STAGE + " is not a createSecret claim"
                + " of this function; remove that label from it (UpdateSecretVersionStage)");
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetServiceException("interrupted while waiting for another invocation's createSecret");
        }
    }

    private static Map<String, Object> fields(RotationRequest request, String version, Instant until) {
        return Map.of("secretId", request.secretId(), "claimVersionId", version, "until", until.toString());
    }
}
