package org.conflictguard.store.redis;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One command of the script: its name, how its arguments are written and how its reply is read.
 * {@link Commands} holds the table. Immutable and thread-safe.
 *
 * @param name the command as the script's table names it
 * @param args writes the command's arguments (after the prefix and the name)
 * @param reader reads the reply, given the arguments the command was called with
 * @param bytes whether the reply's strings are read byte for byte (ISO-8859-1), not as UTF-8
 * @param <A> what the command is called with
 * @param <R> what its reply means
 */
record Command<A, R>(String name, Function<A, List<Object>> args, BiFunction<A, Reply, R> reader, boolean bytes) {

    /** A command whose reply's strings are UTF-8. */
    Command(String name, Function<A, List<Object>> args, BiFunction<A, Reply, R> reader) {
        this(name, args, reader, false);
    }
}
