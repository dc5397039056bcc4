package org.conflictguard.store.redis;

import java.time.Instant;
import java.util.List;
import org.conflictguard.StoreException;

/**
 * A script reply read in order, element by element, each read checking the element's type: a
 * reply the Java side does not expect fails loudly, naming the command and the position, instead
 * of being misread. Not thread-safe: one per reply.
 */
final class Reply {

    private final String command;
    private final List<?> items;
    private int at;

    Reply(String command, List<?> items) {
        this.command = command;
        this.items = items;
    }

    /** The next element, a string (id, name, label, status); {@code null} for a nil element. */
    String text() {
        Object item = next();
        if (item == null || item instanceof String) {
            return (String) item;
        }
        throw unexpected("a string", item);
    }

    /** The next element, an integer (token, count, time in ms). */
    long integer() {
        Object item = next();
        if (item instanceof Long number) {
            return number;
        }
        throw unexpected("an integer", item);
    }

    /** The next element, a time in ms by the Redis clock. */
    Instant instant() {
        return Instant.ofEpochMilli(integer());
    }

    /** Whether elements remain. */
    boolean hasMore() {
        return at < items.size();
    }

    private Object next() {
        if (at >= items.size()) {
            throw new StoreException("ConflictGuard script reply to '" + command + "' ended after " + items.size()
                    + " element(s) where one more was expected; the script and the client disagree (reload the"
                    + " script by restarting the application)", null);
        }
        return items.get(at++);
    }

    private StoreException unexpected(String what, Object item) {
        return new StoreException("ConflictGuard script reply to '" + command + "', element " + (at - 1) + ": expected "
                + what + ", got " + (item == null ? "nil" : item.getClass().getSimpleName() + " '" + item + "'")
                + "; the script and the client disagree", null);
    }
}
