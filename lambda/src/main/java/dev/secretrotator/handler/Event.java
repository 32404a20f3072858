package dev.secretrotator.handler;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.InvalidInputException;
import dev.secretrotator.engine.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An invocation payload: a Secrets Manager rotation event, or an operation ({@code "action"}).
 * Errors name the secret and the step wherever the event carried them, and never quote anything
 * else of the payload (it may carry a rotation token).
 */
record Event(Map<String, Object> fields) {
    /** Secrets Manager's limits: a secret ARN or name, a version token. */
    static final int MAX_SECRET_ID = 2048;
    static final int MIN_TOKEN = 32;
    static final int MAX_TOKEN = 64;
    /** {@link RotationHandler#PAYLOAD_LIMIT}. */
    static final int PAYLOAD_LIMIT = RotationHandler.PAYLOAD_LIMIT;
    private static final Pattern SECRET_ID = Pattern.compile("\"SecretId\"\\s*:\\s*\"([\\w/+=.@:-]{1,256})\"");
    private static final Pattern STEP = Pattern.compile("\"Step\"\\s*:\\s*\"([A-Za-z]{1,20})\"");

    /**
     * The payload as JSON fields.
     *
     * @throws InvalidInputException if it exceeds {@link #PAYLOAD_LIMIT}, is not JSON or not an object
     */
    static Event parse(byte[] payload) {
        if (payload.length > PAYLOAD_LIMIT) {
            throw located(new InvalidInputException(String.format(java.util.Locale.ROOT, "the event is %.1f MB (%d bytes), over Lambda's 6 MB payload"
                    + " limit (%d bytes); a Secrets Manager rotation event is a few hundred bytes",
                    payload.length / 1048576.0, payload.length, PAYLOAD_LIMIT)), payload);
        }
        Object parsed;
        try {
            parsed = JSON.std.anyFrom(payload);
        } catch (IOException | RuntimeException e) {
            throw located(new InvalidInputException("the event is not valid JSON (" + payload.length + " bytes);"
                    + " Secrets Manager sends {\"Step\", \"SecretId\", \"ClientRequestToken\"}"), payload);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new InvalidInputException("the event must be a JSON object with Step, SecretId and ClientRequestToken");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return new Event(fields);
    }

    private static InvalidInputException located(InvalidInputException error, byte[] payload) {
        String where = guessWhere(payload);
        return where.isEmpty() ? error : (InvalidInputException) error.at(where);
    }

    /** The secret and step of a payload that does not parse, if it names them plainly. */
    private static String guessWhere(byte[] payload) {
        String text = new String(payload, 0, Math.min(payload.length, 8192), StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>();
        Matcher secret = SECRET_ID.matcher(text);
        if (secret.find()) {
            parts.add("secret " + secret.group(1));
        }
        Matcher step = STEP.matcher(text);
        if (step.find()) {
            parts.add("step " + step.group(1));
        }
        return String.join(", ", parts);
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

    /**
     * The rotation event: every required field present, a string and within Secrets Manager's
     * limits, the step one of the four.
     */
    SecretsManagerRotationEvent asRotationEvent() {
        String secretId = lenient("SecretId");
        String step = lenient("Step");
        String where = where(secretId, step);
        secretId = required("SecretId", where);
        if (secretId.length() > MAX_SECRET_ID) {
            throw new InvalidInputException("the event's SecretId is " + secretId.length() + " characters long, longer than the "
                    + MAX_SECRET_ID + " Secrets Manager allows").at(where);
        }
        step = required("Step", where);
        try {
            Step.fromWire(step);
        } catch (InvalidInputException e) {
            throw e.at(where);
        }
        String token = required("ClientRequestToken", where);
        if (token.length() < MIN_TOKEN || token.length() > MAX_TOKEN) {
            throw new InvalidInputException("the event's ClientRequestToken is " + token.length() + " characters long;"
                    + " Secrets Manager's version tokens have " + MIN_TOKEN + " to " + MAX_TOKEN).at(where);
        }
        Object rotationToken = fields.get("RotationToken");
        if (rotationToken != null && !(rotationToken instanceof String)) {
            throw new InvalidInputException("the event's RotationToken must be a string").at(where);
        }
        return SecretsManagerRotationEvent.builder().withStep(step).withSecretId(secretId)
                .withClientRequestToken(token).withRotationToken((String) rotationToken).build();
    }

    /** "secret X, step Y" with whatever the event names plainly (a huge SecretId shortened). */
    private static String where(String secretId, String step) {
        List<String> parts = new ArrayList<>();
        if (secretId != null) {
            parts.add("secret " + (secretId.length() <= 256 ? secretId : secretId.substring(0, 40) + "..."));
        }
        if (step != null) {
            parts.add("step " + (step.length() <= 40 ? step : step.substring(0, 37) + "..."));
        }
        return parts.isEmpty() ? "event" : String.join(", ", parts);
    }

    /** The field if it is a non-blank string, else null (for naming where an error is). */
    private String lenient(String field) {
        return fields.get(field) instanceof String s && !s.isBlank() ? s : null;
    }

    private String required(String field, String where) {
        Object value = fields.get(field);
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new InvalidInputException("the event has no " + field).at(where);
        }
        if (!(value instanceof String s)) {
            throw new InvalidInputException(field + " must be a string").at(where);
        }
        return s;
    }
}
