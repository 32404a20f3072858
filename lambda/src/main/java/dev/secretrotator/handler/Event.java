package dev.secretrotator.handler;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.InvalidInputException;
import java.io.IOException;
import java.util.Map;

/**
 * An invocation payload: a Secrets Manager rotation event, or an operation ({@code "action"}).
 * Parse errors never quote the payload (it may carry a rotation token).
 */
record Event(Map<String, Object> fields) {

    static Event parse(byte[] payload) {
        Object parsed;
        try {
            parsed = JSON.std.anyFrom(payload);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("the event is not valid JSON (" + payload.length + " bytes);"
                    + " Secrets Manager sends {\"Step\", \"SecretId\", \"ClientRequestToken\"}");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new InvalidInputException("the event must be a JSON object with Step, SecretId and ClientRequestToken");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return new Event(fields);
    }

    /** The operation this event asks for, if it has an {@code "action"}. */
    java.util.Optional<String> action() {
        Object action = fields.get("action");
        if (action != null && !(action instanceof String)) {
            throw new InvalidInputException("the event's \"action\" must be a string");
        }
        return java.util.Optional.ofNullable((String) action);
    }

    static String write(Object result) {
        try {
            return JSON.std.asString(result);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the function's result", e);
        }
    }

    /** The rotation event, every required field present and a string. */
    SecretsManagerRotationEvent asRotationEvent() {
        String secretId = string("SecretId", null);
        String where = secretId == null ? "event" : "secret " + secretId;
        String step = string("Step", where);
        String token = string("ClientRequestToken", where);
        if (secretId == null) {
            throw new InvalidInputException("the event has no SecretId (step " + step + ", version " + token + ")");
        }
        return SecretsManagerRotationEvent.builder().withStep(step).withSecretId(secretId)
                .withClientRequestToken(token).withRotationToken(optional("RotationToken")).build();
    }

    private String string(String field, String where) {
        Object value = fields.get(field);
        if (value == null || (value instanceof String s && s.isBlank())) {
            if (where == null) {
                return null;
            }
            throw new InvalidInputException(where + ": the event has no " + field);
        }
        if (!(value instanceof String s)) {
            throw new InvalidInputException((where == null ? "event" : where) + ": " + field + " must be a string");
        }
        return s;
    }

    private String optional(String field) {
        Object value = fields.get(field);
        return value instanceof String s ? s : null;
    }
}
