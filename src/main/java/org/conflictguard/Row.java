package org.conflictguard;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.UUID;

/**
 * One entity instance: an entity name and its id in canonical string form.
 *
 * <p>Ids are compared exactly, code point by code point: {@code "a"}, {@code "A"} and
 * {@code "a "} are three rows, and no Unicode normalisation is applied. Any character may
 * appear in an id except U+0000 (which PostgreSQL cannot store) and unpaired surrogates.
 *
 * <p>Immutable and thread-safe.
 *
 * @param entity the entity name, as JPA names it (a Java identifier, dots allowed)
 * @param id the canonical id: 1 to {@value #MAX_ID_LENGTH} code points
 */
public record Row(String entity, String id) implements Comparable<Row> {

    /** Longest entity name accepted, in characters. */
    public static final int MAX_ENTITY_LENGTH = 100;
    /** Longest id accepted, in Unicode code points; longer ids are rejected, never truncated. */
    public static final int MAX_ID_LENGTH = 255;

    private static final Comparator<Row> ORDER =
            Comparator.comparing(Row::entity).thenComparing(Row::id);

    /**
     * Creates a row from an entity name and a canonical id string.
     *
     * @throws InvalidClaimException if the entity name is null, blank, too long or not an
     *     identifier, or if the id is null, empty, too long or not storable
     */
    public Row {
        checkEntity(entity);
        checkId(entity, id);
    }

    /**
     * Creates a row from an entity name and an id value in its canonical form: a
     * {@link CharSequence} as is, an integral number ({@code Integer}, {@code Long},
     * {@code Short}, {@code Byte}, {@code BigInteger}, or a {@code BigDecimal} with no
     * fraction) in decimal, a {@link UUID} in its lower-case form. So {@code 42},
     * {@code 42L} and {@code "42"} name the same row.
     *
     * @throws InvalidClaimException if the entity name or the id is not accepted, naming both
     */
    public static Row of(String entity, Object id) {
        checkEntity(entity);
        return new Row(entity, canonicalId(entity, id));
    }

    @Override
    public int compareTo(Row other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return entity + "#" + id;
    }

    private static String canonicalId(String entity, Object id) {
        if (id == null) {
            throw new InvalidClaimException(entity, null,
                    "Entity '" + entity + "': id is null; pass the row's primary key value");
        }
        if (id instanceof CharSequence text) {
            return text.toString();
        }
        if (id instanceof Integer || id instanceof Long || id instanceof Short
                || id instanceof Byte || id instanceof BigInteger || id instanceof UUID) {
            return id.toString();
        }
        if (id instanceof BigDecimal decimal) {
            try {
                return decimal.toBigIntegerExact().toString();
            } catch (ArithmeticException fraction) {
                throw new InvalidClaimException(entity, decimal.toPlainString(), "Entity '" + entity
                        + "' id " + decimal.toPlainString() + " has a fraction; ids must be integral");
            }
        }
        throw new InvalidClaimException(entity, String.valueOf(id), "Entity '" + entity
                + "': ids of type " + id.getClass().getName() + " are not supported; pass a String,"
                + " an integral number or a UUID (for a composite id, pass its canonical string)");
    }

    private static void checkEntity(String entity) {
        if (entity == null || entity.isBlank()) {
            throw new InvalidClaimException(entity, null,
                    "Entity name is " + (entity == null ? "null" : "blank")
                            + "; pass the JPA entity name, e.g. \"Task\"");
        }
        if (entity.length() > MAX_ENTITY_LENGTH) {
            throw new InvalidClaimException(entity, null, "Entity name '" + abbreviate(entity)
                    + "' is " + entity.length() + " characters long; at most " + MAX_ENTITY_LENGTH
                    + " are accepted");
        }
        if (!Character.isJavaIdentifierStart(entity.charAt(0))) {
            throw notIdentifier(entity);
        }
        for (int i = 1; i < entity.length(); i++) {
            char c = entity.charAt(i);
            if (!Character.isJavaIdentifierPart(c) && c != '.' || Character.isIdentifierIgnorable(c)) {
                throw notIdentifier(entity);
            }
        }
    }

    private static InvalidClaimException notIdentifier(String entity) {
        return new InvalidClaimException(entity, null, "Entity name '" + abbreviate(entity)
                + "' is not a Java identifier; pass the JPA entity name, e.g. \"Task\"");
    }

    private static void checkId(String entity, String id) {
        if (id == null) {
            throw new InvalidClaimException(entity, null,
                    "Entity '" + entity + "': id is null; pass the row's primary key value");
        }
        if (id.isEmpty()) {
            throw new InvalidClaimException(entity, id, "Entity '" + entity + "': id is empty");
        }
        int codePoints = id.codePointCount(0, id.length());
        if (codePoints > MAX_ID_LENGTH) {
            throw new InvalidClaimException(entity, id, "Entity '" + entity + "' id '"
                    + abbreviate(id) + "' is " + codePoints + " characters long; at most "
                    + MAX_ID_LENGTH + " are stored and ids are never truncated: claim a shorter key");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '\0') {
                throw new InvalidClaimException(entity, id, "Entity '" + entity + "' id '"
                        + abbreviate(id) + "' contains U+0000 at index " + i + ", which not every"
                        + " store can hold; encode the id without it");
            }
            if (Character.isHighSurrogate(c) && i + 1 < id.length()
                    && Character.isLowSurrogate(id.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidClaimException(entity, id, "Entity '" + entity + "' id '"
                        + abbreviate(id) + "' contains an unpaired surrogate at index " + i
                        + "; ids must be valid Unicode");
            }
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
