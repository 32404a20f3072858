package dev.secretrotator;

/** The function's own configuration (its environment) is invalid: fix the deployment. */
public class ConfigurationException extends RotationException {
    public ConfigurationException(String message) {
        super(message);
    }
}
