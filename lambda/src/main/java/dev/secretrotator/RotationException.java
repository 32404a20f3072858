package dev.secretrotator;

/**
 * Base of the small unchecked exception family every rotation failure belongs to.
 *
 * <p>Messages never contain a secret value or a rotation token. The engine attaches the
 * location (secret as given in the event, step, version token) once, with {@link #at}, so
 * providers only describe what went wrong and what to do.
 */
public class RotationException extends RuntimeException {
    private String location;

    public RotationException(String message) {
        super(message);
    }

    public RotationException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Records where the failure happened, unless a location is already set.
     *
     * @return this exception, for {@code throw e.at(...)}
     */
    public RotationException at(String where) {
        if (location == null) {
            location = where;
        }
        return this;
    }

    /** The location set by {@link #at}, or {@code null}. */
    public String location() {
        return location;
    }

    /** The message without its location prefix. */
    public String reason() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        return location == null ? super.getMessage() : location + ": " + super.getMessage();
    }
}
