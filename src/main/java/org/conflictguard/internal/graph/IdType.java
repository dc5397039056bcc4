package org.conflictguard.internal.graph;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.UUID;
import java.util.function.Function;

/**
 * The id types the graph can follow, with how a row's canonical id string becomes the id value a
 * query binds, and how any accepted id value becomes that string. Not API. Immutable and
 * thread-safe.
 */
enum IdType {
    LONG(Long::valueOf, Long.MIN_VALUE, Long.MAX_VALUE),
    INTEGER(Integer::valueOf, Integer.MIN_VALUE, Integer.MAX_VALUE),
    SHORT(Short::valueOf, Short.MIN_VALUE, Short.MAX_VALUE),
    BIG_INTEGER(BigInteger::new, 0, 0),
    STRING(text -> text, 0, 0),
    UUID_TYPE(UUID::fromString, 0, 0);

    private final Function<String, Object> parse;
    private final long min;
    private final long max;

    IdType(Function<String, Object> parse, long min, long max) {
        this.parse = parse;
        this.min = min;
        this.max = max;
    }

    /** The type of an id attribute's Java type, or null when the graph cannot follow it. */
    static IdType of(Class<?> type) {
        if (type == Long.class || type == long.class) {
            return LONG;
        }
        if (type == Integer.class || type == int.class) {
            return INTEGER;
        }
        if (type == Short.class || type == short.class) {
            return SHORT;
        }
        if (type == BigInteger.class) {
            return BIG_INTEGER;
        }
        if (type == String.class) {
            return STRING;
        }
        if (type == UUID.class) {
            return UUID_TYPE;
        }
        return null;
    }

    /**
     * The id value of a canonical id string, as a query binds it.
     *
     * @throws IllegalArgumentException if the text is not an id of this type
     */
    Object parse(String text) {
        return parse.apply(text);
    }

    /**
     * The canonical string of an id value given for an entity with this id type: numbers of any
     * integral type in range, or their decimal text, for numeric ids; a UUID or its text for UUID
     * ids; any text (or integral number) for string ids.
     *
     * @throws IllegalArgumentException if the value is not an id of this type
     */
    String canonical(Object value) {
        switch (this) {
            case STRING -> {
                if (value instanceof CharSequence || value instanceof Long || value instanceof Integer
                        || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
                    return value.toString();
                }
                throw new IllegalArgumentException("not a string id");
            }
            case UUID_TYPE -> {
                if (value instanceof UUID uuid) {
                    return uuid.toString();
                }
                if (value instanceof CharSequence text) {
                    return UUID.fromString(text.toString()).toString();
                }
                throw new IllegalArgumentException("not a UUID");
            }
            default -> {
                BigInteger number = integral(value);
                if (this != BIG_INTEGER && (number.compareTo(BigInteger.valueOf(min)) < 0
                        || number.compareTo(BigInteger.valueOf(max)) > 0)) {
                    throw new IllegalArgumentException("out of range");
                }
                return number.toString();
            }
        }
    }

    /** How the type reads in messages, e.g. {@code Long}. */
    String display() {
        return switch (this) {
            case LONG -> "Long";
            case INTEGER -> "Integer";
            case SHORT -> "Short";
            case BIG_INTEGER -> "BigInteger";
            case STRING -> "String";
            case UUID_TYPE -> "UUID";
        };
    }

    private static BigInteger integral(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return big;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toBigIntegerExact();
        }
        if (value instanceof CharSequence text) {
            String t = text.toString();
            // Plain decimal digits with an optional minus sign: "+42", " 42" or "4_2" are not ids.
            if (!t.matches("-?\\d{1,40}")) {
                throw new IllegalArgumentException("not decimal digits");
            }
            return new BigInteger(t);
        }
        throw new IllegalArgumentException("not an integral number");
    }
}
