package org.conflictguard.spi;

import java.util.regex.Pattern;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;

/**
 * The rule every store applies to a namespace ({@link ConfigKeys#NAMESPACE}): 1 to 64 characters
 * from {@code A-Z a-z 0-9 . _ -}, so that it can be a Redis hash tag, a key prefix and a database
 * column value without escaping. Stateless and thread-safe.
 */
public final class Namespaces {

    /** What a namespace may look like. */
    public static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The namespace used when none is configured. */
    public static final String DEFAULT = "conflictguard";

    private Namespaces() {
    }

    /**
     * Returns the namespace if it is accepted.
     *
     * @param namespace the namespace to check, may be {@code null}
     * @return {@code namespace}
     * @throws ConfigurationException naming {@link ConfigKeys#NAMESPACE} if it is not accepted
     */
    public static String check(String namespace) {
        if (namespace == null || !ACCEPTED.matcher(namespace).matches()) {
            throw new ConfigurationException(ConfigKeys.NAMESPACE, ConfigKeys.NAMESPACE + "='" + namespace
                    + "' is not accepted; use 1 to 64 characters from A-Z a-z 0-9 . _ - (it becomes the Redis hash"
                    + " tag and the database namespace column)");
        }
        return namespace;
    }
}
