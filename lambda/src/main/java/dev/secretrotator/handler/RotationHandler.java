package dev.secretrotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.secretrotator.RotationException;
import dev.secretrotator.engine.RotationRequest;
import dev.secretrotator.engine.Step;
import dev.secretrotator.engine.Unexpected;
import dev.secretrotator.provider.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Lambda entry point: {@code dev.secretrotator.handler.RotationHandler::handleRequest}.
 *
 * <p>Takes the JSON Secrets Manager sends ({@code Step}, {@code SecretId},
 * {@code ClientRequestToken}, optional {@code RotationToken}), validates it and hands it to the
 * engine; an operation event ({@code {"action": "sweep", ...}}) goes to the operations. No logic lives here. Clients are built once per container (no-argument constructor)
 * or given (tests).
 */
public final class RotationHandler implements RequestStreamHandler {
    /**
     * Lambda's limit for an invocation payload (6 MB, synchronous); a larger event never reaches a
     * deployed function, so one seen here (the CLI, a test) is called that, not "not valid JSON".
     */
    public static final int PAYLOAD_LIMIT = 6 * 1024 * 1024;
    /** Lambda's name for how it initialises this environment; {@link SnapStartPriming#SNAP_START} for a snapshot. */
    static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
    private final Components components;
    /** Held here because CRaC holds registered hooks weakly; null unless SnapStart initialises us. */
    private final SnapStartPriming snapStart;

    public RotationHandler() {
        this(Components.fromEnvironment(), System.getenv());
    }

    public RotationHandler(Components components) {
        this(components, Map.of());
    }

    /** With SnapStart hooks if {@code env} says Lambda initialises for a snapshot; otherwise org.crac is never loaded. */
    RotationHandler(Components components, Map<String, String> env) {
        this.components = Objects.requireNonNull(components, "components must not be null");
        this.snapStart = SnapStartPriming.SNAP_START.equals(env.get(INITIALIZATION_TYPE))
                ? SnapStartPriming.register(components) : null;
    }

    /** The registered SnapStart hooks, if any. */
    Optional<SnapStartPriming> snapStartHooks() {
        return Optional.ofNullable(snapStart);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Objects.requireNonNull(input, "input must not be null");
        byte[] payload = input.readAllBytes();
        Object result;
        try {
            result = Deadline.runWithin(deadline(context), () -> dispatch(payload));
        } catch (RotationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Unexpected.wrap(e, components.services().telemetry());
        }
        output.write(components.services().telemetry().redactor().redact(Event.write(result)).getBytes(StandardCharsets.UTF_8));
    }

    private Object dispatch(byte[] payload) {
        Event event = Event.parse(payload);
        if (event.action().isPresent()) {
            return components.operations().run(event.action().get(), event.fields());
        }
        components.engine().execute(toRequest(event.asRotationEvent()));
        return null;
    }

    /** Polling and network calls stop before Lambda's timeout would kill the invocation. */
    static Deadline deadline(Context context) {
        return context == null ? Deadline.none() : Deadline.ofRemaining(context.getRemainingTimeInMillis());
    }

    static RotationRequest toRequest(SecretsManagerRotationEvent e) {
        return new RotationRequest(Step.fromWire(e.getStep()), e.getSecretId(), e.getClientRequestToken(),
                Optional.ofNullable(e.getRotationToken()).filter(t -> !t.isEmpty()));
    }
}
