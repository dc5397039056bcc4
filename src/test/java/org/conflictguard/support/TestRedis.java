package org.conflictguard.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The Redis the tests use: {@code REDIS_URL}, else 127.0.0.1:6379 when it answers, else a real
 * {@code redis-server} process started on a free loopback port (from the PATH, or the Linux
 * binary shipped in the embedded-redis jar). Says which on standard error.
 */
public final class TestRedis {

    private static String address;
    private static RedissonClient client;

    private TestRedis() {
    }

    /** The address, as {@code redis://host:port}. */
    public static synchronized String address() {
        if (address == null) {
            address = locate();
        }
        return address;
    }

    /** One Redisson client shared by the tests of this JVM. */
    public static synchronized RedissonClient client() {
        if (client == null) {
            client = connect(address());
            RedissonClient created = client;
            Runtime.getRuntime().addShutdownHook(new Thread(created::shutdown));
        }
        return client;
    }

    /** A new client; the caller shuts it down. */
    public static RedissonClient connect(String redisAddress) {
        Config config = new Config();
        config.useSingleServer().setAddress(redisAddress).setConnectionPoolSize(32).setConnectionMinimumIdleSize(4);
        return Redisson.create(config);
    }

    private static String locate() {
        String env = System.getenv("REDIS_URL");
        if (env != null && !env.isBlank()) {
            URI uri = URI.create(env);
            if (!answersPing(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
                throw new IllegalStateException("REDIS_URL=" + env + " does not answer PING");
            }
            report("Redis from REDIS_URL at " + env);
            return env;
        }
        if (answersPing("127.0.0.1", 6379)) {
            report("Redis already running at 127.0.0.1:6379");
            return "redis://127.0.0.1:6379";
        }
        return start();
    }

    private static String start() {
        RedisProcess redis = RedisProcess.start();
        report("started " + RedisProcess.origin() + " on 127.0.0.1:" + redis.port());
        return redis.address();
    }

    static boolean answersPing(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[7];
            int n = socket.getInputStream().read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static void report(String what) {
        System.err.println("[conflictguard-tests] " + what);
    }
}
