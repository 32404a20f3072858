package dev.secretrotator.ops;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.engine.RotationEngine;
import dev.secretrotator.engine.SecretStore;
import dev.secretrotator.provider.ProviderRegistry;
import dev.secretrotator.provider.ProviderServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Operation events ({@code {"action": ...}}) beside the rotation steps, and the same operations
 * for the CLI:
 * <ul>
 *   <li>{@code {"action": "sweep", "secretIds": [...]}}: the retirement sweep (without
 *       {@code secretIds}: every secret this function rotates, found with {@code ListSecrets});
 *   <li>{@code {"action": "emergency", "secretId": "..."}}: rotate now, revoke at once;
 *   <li>{@code {"action": "rollback", "secretId": "...", "force": true}}: back to the previous
 *       version ({@code force}, optional: even to a credential an emergency rotation revoked, which leaked);
 *   <li>{@code {"action": "rollback", "secretId": "...", "window": "PT2H"}}: the automatic rollback an
 *       AutoRollback alarm sends ({@link AutomaticRollback}): once per rotation, only of a rotation
 *       whose cutover is that recent; a refusal is answered ({@code "refused"}) and published, not thrown.
 * </ul>
 * Every operation refuses a secret outside {@code ROTATOR_ALLOWED_SECRET_ARNS} before any change
 * (the sweep reports it {@code REFUSED} and goes on with the others).
 */
public final class Operations {
    /** How long the emergency action waits for a rotation Secrets Manager runs (below the function timeout). */
    static final Duration SERVICE_ROTATION_TIMEOUT = Duration.ofSeconds(90);

    private final Sweep sweep;
    private final Emergency emergency;
    private final Rollback rollback;
    private final AutomaticRollback automaticRollback;
    private final Repair repair;
    private final Status status;

    public Operations(SecretStore store, ProviderRegistry providers, ProviderServices services, RotationEngine engine) {
        SecretAccess access = new SecretAccess(store, providers, services);
        this.sweep = new Sweep(store, providers, services);
        this.emergency = new Emergency(access, sweep, new RotationDriver(
                services.client(SecretsManagerClient.class), engine::execute, SERVICE_ROTATION_TIMEOUT));
        this.rollback = new Rollback(access);
        this.automaticRollback = new AutomaticRollback(access, rollback);
        this.repair = new Repair(access);
        this.status = new Status(access);
    }

    public Sweep sweep() {
        return sweep;
    }

    public Emergency emergency() {
        return emergency;
    }

    public Rollback rollback() {
        return rollback;
    }

    public Repair repair() {
        return repair;
    }

    public Status status() {
        return status;
    }

    /**
     * Runs one operation event.
     *
     * @return the result to return to the caller (a JSON-writable structure)
     * @throws InvalidInputException for an unknown action or malformed fields
     */
    public Object run(String action, Map<String, Object> event) {
        return switch (action) {
            case "sweep" -> Map.of("sweep", sweep.run(
                    event.containsKey("secretIds") ? secretIds(event) : sweep.managedSecrets(), false));
            case "emergency" -> emergency.run(secretId(event, action));
            case "rollback" -> window(event).<Object>map(w -> automaticRollback.run(secretId(event, action), w, force(event)))
                    .orElseGet(() -> Map.of("secretId", secretId(event, action),
                            "currentVersion", rollback.run(secretId(event, action), java.util.Optional.empty(), force(event))));
            default -> throw new InvalidInputException("unknown action '" + action + "'; known actions: sweep, emergency, rollback");
        };
    }

    /** The optional {@code "force"} of a rollback: restore even a credential an emergency revoked. */
    static boolean force(Map<String, Object> event) {
        Object force = event.getOrDefault("force", false);
        if (!(force instanceof Boolean b)) {
            throw new InvalidInputException("action rollback: \"force\" must be true or false");
        }
        return b;
    }

    /** The optional {@code "window"} of an automatic rollback (ISO-8601 duration). */
    static java.util.Optional<Duration> window(Map<String, Object> event) {
        Object window = event.get("window");
        if (window == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Duration.parse((String) window));
        } catch (RuntimeException e) {
            throw new InvalidInputException("action rollback: \"window\" must be an ISO-8601 duration such as PT2H");
        }
    }

    static String secretId(Map<String, Object> event, String action) {
        if (!(event.get("secretId") instanceof String id) || id.isBlank()) {
            throw new InvalidInputException("action " + action + " needs \"secretId\": the secret's ARN or name");
        }
        return id;
    }

    static List<String> secretIds(Map<String, Object> event) {
        Object ids = event.get("secretIds");
        if (!(ids instanceof List<?> list) || list.isEmpty()) {
            throw new InvalidInputException("action sweep: \"secretIds\" must be a non-empty list of secret ARNs or names"
                    + " (leave it out to sweep every secret this function rotates; that needs secretsmanager:ListSecrets)");
        }
        List<String> out = new ArrayList<>();
        for (Object id : list) {
            if (!(id instanceof String s) || s.isBlank()) {
                throw new InvalidInputException("action sweep: every entry of \"secretIds\" must be a non-empty string");
            }
            out.add(s);
        }
        return out;
    }
}
