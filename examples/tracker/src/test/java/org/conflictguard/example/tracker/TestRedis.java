package org.conflictguard.example.tracker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/** The Redis the Redis-store scenarios use: REDIS_URL, else 127.0.0.1:6379; it must answer. */
final class TestRedis {

    private TestRedis() {
    }

    static String address() {
        String url = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
        URI uri = URI.create(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
        } catch (IOException e) {
            throw new IllegalStateException("The Redis-store scenarios need a Redis server at " + url
                    + " (set REDIS_URL to another one): " + e.getMessage());
        }
        return url;
    }
}
