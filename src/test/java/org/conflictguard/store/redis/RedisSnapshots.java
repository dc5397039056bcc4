package org.conflictguard.store.redis;

import java.util.HexFormat;
import java.util.TreeMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/** Every key of a namespace with its serialized value (DUMP), as text that changes if any byte does. */
public final class RedisSnapshots {

    private RedisSnapshots() {
    }

    public static String of(RedissonClient client, String namespace) {
        TreeMap<String, String> dump = new TreeMap<>();
        client.getKeys().getKeysStreamByPattern("{" + namespace + "}:*").forEach(key -> dump.put(key,
                HexFormat.of().formatHex(client.getBucket(key, ByteArrayCodec.INSTANCE).dump())));
        return dump.toString();
    }
}
