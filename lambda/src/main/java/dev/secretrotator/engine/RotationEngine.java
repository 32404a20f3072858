package dev.secretrotator.engine;

import static dev.secretrotator.engine.SecretMetadata.CURRENT;
import static dev.secretrotator.engine.SecretMetadata.PENDING;
import static dev.secretrotator.engine.SecretMetadata.PREVIOUS;

import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.TargetServiceException;
import dev.secretrotator.provider.ProviderRegistry;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import dev.secretrotator.provider.StepMemo;
import dev.secretrotator.telemetry.RotationEvents;
import java.util.Map;
import java.util.Optional;

/**
 * The Secrets Manager rotation protocol, provider-agnostic (design.md §2). Every step starts
 * from {@code DescribeSecret}, is idempotent, and is safe to re-run from any point of failure.
 * The engine owns staging labels; providers own credentials.
 *
 * <p>Thread-safe: holds no per-invocation state.
 */
public final class RotationEngine {
    private final SecretStore store;
    private final ProviderRegistry providers;
    private final ProviderServices services;
    private final StepTelemetry telemetry;
    private final CreateClaim claims;

    public RotationEngine(SecretStore store, ProviderRegistry providers, ProviderServices services) {
        this.store = store;
        this.providers = providers;
        this.services = services;
        this.telemetry = new StepTelemetry(services.telemetry(), services.clock());
        this.claims = new CreateClaim(store, services);
    }

    /**
     * Runs one step.
     *
     * @throws RotationException naming the secret, the step and the version; nothing is written
     *     to the secret when the input or the rotation state is invalid
     */
    public void execute(RotationRequest request) {
        request.rotationToken().ifPresent(services.telemetry().redactor()::register);
        StepTelemetry.Run run = telemetry.start(request);
        try {
            run.finished(executeStep(request, run));
        } catch (RotationException e) {
            run.failed(e.at(request.where()));
            throw e;
        } catch (RuntimeException e) {
            RotationException wrapped = Unexpected.wrap(e, services.telemetry()).at(request.where());
            run.failed(wrapped);
            throw wrapped;
        }
    }

    private String executeStep(RotationRequest request, StepTelemetry.Run run) {
        SecretMetadata meta = checkedMetadata(request);
        if (meta.hasStage(request.clientRequestToken(), CURRENT)) {
            return request.step() == Step.FINISH ? finishAgain(request, meta, run) : "already AWSCURRENT: nothing to do";
        }
        if (!meta.hasStage(request.clientRequestToken(), PENDING)) {
            throw new RotationStateException("the version is not staged AWSPENDING (its labels: "
                    + meta.stagesByVersion().get(request.clientRequestToken())
                    + "); a rotation starts with RotateSecret, which stages a new version AWSPENDING");
        }
        SecretValue current = SecretValue.parse(store.valueAt(request.secretId(), CURRENT));
        registerSensitive(current);
        RotationProvider provider = providers.forSecret(current);
        run.provider(provider.name());
        provider.validate(current, services.config());
        return switch (request.step()) {
            case CREATE -> create(request, meta, current, provider);
            case SET -> {
                if (!provider.appliesCredential()) {
                    yield "nothing to apply: " + provider.name() + " made the credential in createSecret";
                }
                provider.applyCredential(context(request, meta, current, pending(request)));
                yield "pending credential applied";
            }
            case TEST -> test(request, meta, current, provider);
            case FINISH -> finish(request, meta, current, provider);
        };
    }

    private SecretMetadata checkedMetadata(RotationRequest request) {
        SecretMetadata meta = store.describe(request.secretId());
        AllowList.require(services.config(), meta, "rotate");
        if (!meta.rotationEnabled()) {
            throw new RotationStateException("rotation is not enabled for this secret;"
                    + " enable it with RotateSecret (or a RotationSchedule) naming this function");
        }
        if (!meta.hasVersion(request.clientRequestToken())) {
            throw new RotationStateException("the version token is not a version of this secret;"
                    + " the event must carry the ClientRequestToken of the rotation Secrets Manager started");
        }
        return meta;
    }

    private String create(RotationRequest request, SecretMetadata meta, SecretValue current, RotationProvider provider) {
        if (pendingStored(request)) {
            return "pending value already stored: nothing to do";
        }
        // read-only checks first, so that a refused createSecret leaves no trace (no attempt tag, no claim)
        StagingGate.check(store, services, request, meta, provider.name());
        // one memo for the checks and the change: the bindings they both check are read once
        StepMemo memo = new StepMemo();
        provider.checkCreate(context(request, meta, current, Optional.empty(), memo));
        ConfigurationTestRule.recordAttempt(store, request, meta);
        if (!provider.exclusiveCreate()) {
            return createAndStore(request, meta, current, provider, memo);
        }
        // the claim's holder checks again that no value is stored: another invocation may have stored one meanwhile
        return claims.run(request, () -> pendingStored(request), () -> createAndStore(request, meta, current, provider, memo));
    }

    private boolean pendingStored(RotationRequest request) {
        return store.findValue(request.secretId(), request.clientRequestToken(), PENDING).isPresent();
    }

    private String createAndStore(RotationRequest request, SecretMetadata meta, SecretValue current, RotationProvider provider,
            StepMemo memo) {
        StepContext context = context(request, meta, current, Optional.empty(), memo);
        SecretValue next = provider.createCredential(context);
        registerSensitive(next);
        try {
            store.putPending(request.secretId(), request.clientRequestToken(), next.toJson(), request.rotationToken());
        } catch (RotationException e) {
            return afterFailedPut(request, provider, context, next, e);
        }
        return "pending value stored";
    }

    /**
     * A {@code PutSecretValue} that failed because another invocation of the same step stored a
     * different value first (overlapping Lambda retries; the service refuses a second value under a
     * version id): createSecret is done, and the credential that lost the race is discarded so it
     * does not linger. Any other failure stands.
     */
    private String afterFailedPut(RotationRequest request, RotationProvider provider, StepContext created, SecretValue next,
            RotationException failure) {
        Optional<String> stored;
        try {
            stored = store.findValue(request.secretId(), request.clientRequestToken(), PENDING);
        } catch (RotationException unknown) {
            throw failure;
        }
        if (stored.isEmpty() || stored.get().equals(next.toJson())) {
            throw failure; // not stored, or ours after all (a lost answer): the service's retry finds it
        }
        SecretValue winner = SecretValue.parse(stored.get());
        registerSensitive(winner);
        if (provider.credentialId(winner).equals(provider.credentialId(next))) {
            // one identity re-keyed twice (e.g. a Weaviate user): discarding ours would hit the stored one
            services.telemetry().warn("another invocation of createSecret stored the pending value first,"
                    + " for the same credential; testSecret proves the stored one", Map.of("secretId", request.secretId(),
                    "versionId", request.clientRequestToken(), "credentialId", provider.credentialId(next)));
            return "pending value stored by a concurrent invocation";
        }
        provider.discardCredential(created.withPending(next));
        services.telemetry().warn("another invocation of createSecret stored the pending value first;"
                + " discarded the credential this one created", Map.of("secretId", request.secretId(),
                "versionId", request.clientRequestToken(), "discarded", provider.credentialId(next)));
        return "pending value stored by a concurrent invocation; this one's credential discarded";
    }

    private String finish(RotationRequest request, SecretMetadata meta, SecretValue current, RotationProvider provider) {
        StepContext context = context(request, meta, current, pending(request));
        String previous = meta.versionWith(CURRENT).orElse(null);
        // Recorded before the cutover: a tag naming a version that never became current is ignored.
        store.tag(request.secretId(), StoredHistory.CUTOVER_TAG,
                StoredHistory.cutoverTag(request.clientRequestToken(), services.clock().instant()));
        store.moveStage(request.secretId(), CURRENT, request.clientRequestToken(), previous);
        // The service removes AWSPENDING after finishSecret; doing it here too means a retried or
        // interrupted rotation never leaves a label that would block the next one.
        store.removeStage(request.secretId(), PENDING, request.clientRequestToken());
        afterCutover(request, meta, provider, context);
        return "AWSCURRENT moved from " + previous;
    }

    /**
     * finishSecret for a version already {@code AWSCURRENT}: a retry after the cutover (a timeout
     * or throttle between {@code UpdateSecretVersionStage} and the end of the step) or a repeated
     * invocation. When this function made that cutover (the cutover tag names the version) and
     * the version it replaced is {@code AWSPREVIOUS}, the work after the cutover runs again, so it
     * happens at least once: the provider's {@code afterCutover} (idempotent by contract) and the
     * "rotated" event (consumers get at-least-once delivery). The context is the one of the first
     * run: pending is the version's value (read by version id), current the one now AWSPREVIOUS.
     */
    private String finishAgain(RotationRequest request, SecretMetadata meta, StepTelemetry.Run run) {
        String version = request.clientRequestToken();
        if (meta.hasStage(version, PENDING)) {
            store.removeStage(request.secretId(), PENDING, version);
        }
        boolean ours = StoredHistory.names(meta.tags().get(StoredHistory.CUTOVER_TAG), version);
        Optional<String> before = ours ? store.findStage(request.secretId(), PREVIOUS) : Optional.empty();
        Optional<String> value = before.flatMap(b -> store.findValue(request.secretId(), version, CURRENT));
        if (before.isEmpty() || value.isEmpty()) {
            meta.versionWith(CreateClaim.STAGE).ifPresent(claim -> claims.release(request, claim));
            return "already AWSCURRENT: nothing to do";
        }
        SecretValue previous = SecretValue.parse(before.get());
        SecretValue pending = SecretValue.parse(value.get());
        registerSensitive(previous);
        registerSensitive(pending);
        RotationProvider provider = providers.forSecret(pending);
        run.provider(provider.name());
        afterCutover(request, meta, provider, context(request, meta, previous, Optional.of(pending)));
        return "already AWSCURRENT: the work after the cutover ran again";
    }

    private void afterCutover(RotationRequest request, SecretMetadata meta, RotationProvider provider, StepContext context) {
        meta.versionWith(CreateClaim.STAGE).ifPresent(claim -> claims.release(request, claim));
        provider.afterCutover(context);
        if (!Events.publish(services, RotationEvents.ROTATED, meta.arn(), request.clientRequestToken(), provider,
                context.requirePending())) {
            // the cutover stands; failing the step makes the service retry it, and the retry publishes again
            throw new TargetServiceException("AWSCURRENT moved, but the \"" + RotationEvents.ROTATED + "\" event was not"
                    + " published (see EventPublishFailed and the function's events:PutEvents permission); failing"
                    + " finishSecret so that Secrets Manager's retry publishes it: consumers get it at least once");
        }
    }

    /**
     * testSecret. A pending version that holds no value of ours is the service's configuration
     * test ({@link ConfigurationTestRule}): the provider proves the setup with the current value and
     * nothing is written. Otherwise the pending credential is verified.
     */
    private String test(RotationRequest request, SecretMetadata meta, SecretValue current, RotationProvider provider) {
        Optional<String> stored = store.findValue(request.secretId(), request.clientRequestToken(), PENDING);
        if (ConfigurationTestRule.applies(request, meta, current, stored)) {
            provider.checkConfiguration(new StepContext(request.secretId(), meta.arn(), request.clientRequestToken(),
                    current, Optional.of(current), request.rotationToken(), false,
                    StoredHistory.readOnly(store, request.secretId(), this::registerSensitive, services.clock()), services));
            return "configuration test: the secret validates and its current credential works; nothing written";
        }
        // the value just read is the pending one: the same version, read by id, in the same step
        provider.verifyCredential(context(request, meta, current, Optional.of(pendingValue(stored))));
        return "pending credential verified";
    }

    private Optional<SecretValue> pending(RotationRequest request) {
        return Optional.of(pendingValue(store.findValue(request.secretId(), request.clientRequestToken(), PENDING)));
    }

    private SecretValue pendingValue(Optional<String> stored) {
        String json = stored.orElseThrow(() -> new RotationStateException("the AWSPENDING version has no value;"
                + " createSecret has not completed: let Secrets Manager retry the rotation from createSecret"));
        SecretValue value = SecretValue.parse(json);
        registerSensitive(value);
        return value;
    }

    private StepContext context(RotationRequest r, SecretMetadata meta, SecretValue current, Optional<SecretValue> pending) {
        return context(r, meta, current, pending, new StepMemo());
    }

    private StepContext context(RotationRequest r, SecretMetadata meta, SecretValue current, Optional<SecretValue> pending,
            StepMemo memo) {
        return new StepContext(r.secretId(), meta.arn(), r.clientRequestToken(), current, pending, r.rotationToken(), false,
                StoredHistory.recording(store, r.secretId(), this::registerSensitive, services.clock()), services, memo);
    }

    private void registerSensitive(SecretValue value) {
        value.sensitiveValues().forEach(services.telemetry().redactor()::register);
    }
}
