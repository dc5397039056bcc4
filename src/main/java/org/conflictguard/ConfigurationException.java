package org.conflictguard;

/**
 * ConflictGuard cannot start as configured: a setting has a bad value, or an explicit choice
 * cannot be met. Thrown when the guard is built, never later.
 *
 * <p>Immutable and thread-safe.
 */
public class ConfigurationException extends ConflictGuardException {

    private final String key;

    /**
     * @param key the setting at fault (one of {@link ConfigKeys}), or {@code null}
     * @param message what is wrong and what to do
     */
    public ConfigurationException(String key, String message) {
        super(message);
        this.key = key;
    }

    /**
     * @param key the setting at fault (one of {@link ConfigKeys}), or {@code null}
     * @param message what is wrong and what to do
     * @param cause the underlying failure
     */
    public ConfigurationException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The setting at fault, or {@code null} when no single setting is. */
    public String key() {
        return key;
    }
}
