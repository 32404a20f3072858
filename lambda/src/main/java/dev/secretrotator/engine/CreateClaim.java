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
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Makes one rotation's createSecret exclusive, for providers that ask for it
 * ({@link dev.secretrotator.provider.RotationProvider#exclusiveCreate()}).
 *
 * <p>Secrets Manager's one compare-and-set is {@code PutSecretValue} under a
 * {@code ClientRequestToken}: the first value stored under a version id stays, a different one
 * is refused. A claim is such a version: labelled {@link #STAGE} only (never {@code AWSCURRENT}
 * or {@code AWSPENDING}), holding no secret but its owner (a random id per invocation) and when
 * it expires. Its version id derives from the rotation's token and a generation number. The
 * invocation that stores generation <i>n</i> holds the claim; another one waits for the pending
 * value the holder stores. The holder removes the label when it is done, whatever the outcome;
 * a generation whose label is gone, or whose lease has passed (its holder died), is taken over by
 * storing generation <i>n</i>+1. The holder's work runs under a {@link Deadline} that ends
 * before its lease, so a taker never overlaps it.
 *
 * <p>finishSecret removes a claim label left behind (a release that failed). A claim version
 * stays as a deprecated version without labels, which Secrets Manager deletes
 * in time (and leaves out of {@code DescribeSecret}). Thread-safe.
 */
public final class CreateClaim {
    /** The staging label of a claim being held. */
    public static final String STAGE = "secret-rotator-claim";
    /** The longest a holder works: create the credential and store it (normally well under a second). */
    public static final Duration BUDGET = Duration.ofSeconds(20);
    /** Added to a lease for clocks that differ between invocations and for calls still in flight. */
    public static final Duration SKEW = Duration.ofSeconds(10);
    /** Generations tried before giving up: each is an attempt that failed or died while holding it. */
    static final int GENERATIONS = 32;
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
        for (int generation = 0; generation < GENERATIONS; generation++) {
            String version = versionId(request.clientRequestToken(), generation);
            Duration budget = Deadline.current().cap(BUDGET);
            Instant until = services.clock().instant().plus(budget).plus(SKEW);
            if (store.putIfAbsent(request.secretId(), version, json(owner, until, request.clientRequestToken()),
                    STAGE, request.rotationToken())) {
                return holding(request, version, budget, stored, createAndStore);
            }
            Optional<Instant> held = heldUntil(request.secretId(), version);
            if (held.isPresent() && awaitStored(request, version, held.get(), stored)) {
                return "pending value stored by a concurrent invocation";
            }
        }
        throw new RotationStateException("createSecret of this rotation was claimed " + GENERATIONS + " times and no"
                + " attempt stored a value; run `repair --apply` to cancel the rotation, then rotate again");
    }

    /** The version id of a claim generation: a name-based UUID of the rotation's token, not a secret. */
    public static String versionId(String rotationVersionId, int generation) {
        return UUID.nameUUIDFromBytes((FIELD + ":" + rotationVersionId + ":" + generation).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private String holding(RotationRequest request, String version, Duration budget, BooleanSupplier stored,
            Supplier<String> createAndStore) {
        try {
            if (stored.getAsBoolean()) {
                return "pending value already stored: nothing to do";
            }
            Deadline limit = Deadline.current().atMost(budget, "the createSecret claim's " + budget.toSeconds()
                    + " s to create and store the credential");
            return Deadline.runWithin(limit, createAndStore);
        } finally {
            release(request, version);
        }
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
