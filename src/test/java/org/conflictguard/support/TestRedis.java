package org.conflictguard.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The Redis the tests use: {@code REDIS_URL}, else 127.0.0.1:6379 when it answers, else a real
 * {@code redis-server} process started on a free loopback port (from the PATH, or the Linux
 * binary shipped in the embedded-redis jar). Says which on standard error.
 */
public final class TestRedis {

    /** The redis-server binaries the embedded-redis jar ships, by {@code os.name}/{@code os.arch}. */
    private static final java.util.Map<String, String> EMBEDDED_BINARIES = java.util.Map.of(
            "linux/amd64", "/redis-server-6.2.6-v5-linux-amd64",
            "linux/aarch64", "/redis-server-6.2.7-linux-arm64",
            "mac os x/x86_64", "/redis-server-6.2.6-v5-darwin-amd64",
            "mac os x/aarch64", "/redis-server-6.2.6-v5-darwin-arm64");
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
        try {
            Path binary = findOnPath("redis-server");
            String origin = "redis-server from the PATH";
            if (binary == null) {
                String platform = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/"
                        + System.getProperty("os.arch");
                String resource = EMBEDDED_BINARIES.getOrDefault(platform, "/none-for-" + platform);
                binary = Files.createTempFile("conflictguard-redis-server", "");
                try (InputStream in = TestRedis.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("No Redis at 127.0.0.1:6379 or REDIS_URL, no redis-server on"
                                + " the PATH, and no bundled redis-server binary for " + platform
                                + "; install redis-server or point REDIS_URL at a Redis");
                    }
                    Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
                }
                binary.toFile().setExecutable(true);
                binary.toFile().deleteOnExit();
                origin = "redis-server binary from the embedded-redis jar";
            }
            int port = freePort();
            Path log = Files.createTempFile("conflictguard-redis", ".log");
            Process process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            Awaitility.await("redis-server on port " + port + " (log: " + log + ")").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("redis-server exited: " + Files.readString(log));
                        }
                        return answersPing("127.0.0.1", port);
                    });
            report("started " + origin + " on 127.0.0.1:" + port);
            return "redis://127.0.0.1:" + port;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start a Redis server for the tests", e);
        }
    }

    private static Path findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void report(String what) {
        System.err.println("[conflictguard-tests] " + what);
    }
}
