package org.conflictguard.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.conflictguard.StoreException;

/**
 * Reads the msgpack the script stores with {@code cmsgpack.pack}: nested arrays of strings (an
 * empty Lua table may come as an empty map, read as an empty list). Anything else is refused.
 * Stateless and thread-safe.
 */
final class MessagePack {

    private final byte[] in;
    private int at;

    private MessagePack(byte[] in) {
        this.in = in;
    }

    /**
     * The list {@code packed} holds: its elements are strings or lists.
     *
     * @throws StoreException if {@code packed} is not such a list
     */
    static List<Object> readList(byte[] packed) {
        MessagePack reader = new MessagePack(packed);
        try {
            Object value = reader.read();
            if (!(value instanceof List<?>) || reader.at != packed.length) {
                throw new IllegalArgumentException("not one list");
            }
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) value;
            return list;
        } catch (RuntimeException e) {
            throw new StoreException("The ConflictGuard script stored a claim's marks in a form this version cannot"
                    + " read (" + e.getMessage() + " at byte " + reader.at + "); is another version of ConflictGuard"
                    + " using this namespace?", e);
        }
    }

    private Object read() {
        int b = in[at++] & 0xff;
        if (b >= 0xa0 && b <= 0xbf) {
            return string(b & 0x1f);
        }
        if (b >= 0x90 && b <= 0x9f) {
            return list(b & 0x0f);
        }
        return switch (b) {
            case 0x80 -> List.of();
            case 0xd9, 0xc4 -> string(unsigned(1));
            case 0xda, 0xc5 -> string(unsigned(2));
            case 0xdb, 0xc6 -> string(unsigned(4));
            case 0xdc -> list(unsigned(2));
            case 0xdd -> list(unsigned(4));
            default -> throw new IllegalArgumentException("unexpected msgpack type 0x" + Integer.toHexString(b));
        };
    }

    private int unsigned(int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = value << 8 | (in[at++] & 0xff);
        }
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("length " + value + " too large");
        }
        return (int) value;
    }

    private String string(int length) {
        String text = new String(in, at, length, StandardCharsets.UTF_8);
        at += length;
        return text;
    }

    private List<Object> list(int size) {
        List<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(read());
        }
        return list;
    }
}
