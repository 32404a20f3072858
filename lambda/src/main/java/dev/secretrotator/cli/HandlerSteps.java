package dev.secretrotator.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.engine.RotationRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Runs a step the way Lambda would: the event JSON Secrets Manager sends, through the handler. */
final class HandlerSteps implements Consumer<RotationRequest> {
    private final RequestStreamHandler handler;

    HandlerSteps(RequestStreamHandler handler) {
        this.handler = handler;
    }

    @Override
    public void accept(RotationRequest request) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("Step", request.step().wireName());
        event.put("SecretId", request.secretId());
        event.put("ClientRequestToken", request.clientRequestToken());
        try {
            handler.handleRequest(new ByteArrayInputStream(JSON.std.asBytes(event)),
                    new ByteArrayOutputStream(), new LocalContext("rotate"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
