package org.conflictguard.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real {@code redis-server} process on a loopback port, that tests start, kill and restart:
 * the binary on the PATH, or the one shipped in the embedded-redis jar.
 */
public final class RedisProcess implements AutoCloseable {

    /** The redis-server binaries the embedded-redis jar ships, by {@code os.name}/{@code os.arch}. */
    private static final Map<String, String> EMBEDDED_BINARIES = Map.of(
            "linux/amd64", "/redis-server-6.2.6-v5-linux-amd64",
            "linux/aarch64", "/redis-server-6.2.7-linux-arm64",
            "mac os x/x86_64", "/redis-server-6.2.6-v5-darwin-amd64",
            "mac os x/aarch64", "/redis-server-6.2.6-v5-darwin-arm64");
    private static Path binary;
    private static String origin;

    private final int port;
    private final List<String> extraArgs;
    private final Path dir;
    /** A sentinel's configuration file, or null for a data server. */
    private Path sentinelConfig;
    private Process process;

    private RedisProcess(int port, List<String> extraArgs) throws IOException {
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.dir = Files.createTempDirectory("conflictguard-redis-" + port);
    }

    /**
     * Starts a Sentinel on a free port that monitors the primary on {@code primaryPort} as
     * {@code masterName}, with a quorum of 2, calling it down after {@code downAfterMillis}.
     */
    public static RedisProcess sentinel(String masterName, int primaryPort, long downAfterMillis) {
        try {
            RedisProcess sentinel = new RedisProcess(freePort(), List.of());
            sentinel.sentinelConfig = sentinel.dir.resolve("sentinel.conf");
            Files.writeString(sentinel.sentinelConfig, "sentinel monitor " + masterName + " 127.0.0.1 " + primaryPort
                    + " 2\nsentinel down-after-milliseconds " + masterName + " " + downAfterMillis
                    + "\nsentinel failover-timeout " + masterName + " 5000\nsentinel parallel-syncs " + masterName
                    + " 1\n");
            sentinel.startProcess();
            return sentinel;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start redis-server --sentinel", e);
        }
    }

    /** Starts a Redis that keeps nothing on disk, on a free port, with extra arguments. */
    public static RedisProcess start(String... extraArgs) {
        return startRetrying(() -> List.of(extraArgs));
    }

    /**
     * Starts a node of a cluster: besides its port, its cluster bus gets a port of its own
     * ({@code --cluster-port}; by default Redis takes port + 10000, which the system may have lent
     * to a client connection meanwhile).
     */
    public static RedisProcess startClusterNode(long nodeTimeoutMillis) {
        return startRetrying(() -> {
            List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file",
                    "nodes.conf", "--cluster-node-timeout", Long.toString(nodeTimeoutMillis)));
            if (majorVersion() >= 7) { // cluster-port is Redis 7's
                try {
                    args.addAll(List.of("--cluster-port", Integer.toString(freePort())));
                } catch (IOException e) {
                    throw new IllegalStateException("Could not find a free port", e);
                }
            }
            return args;
        });
    }

    /**
     * Starts redis-server on a free port, again on another one when the port was taken between
     * finding it free and the server binding it (the system lends free ports to anyone).
     */
    private static RedisProcess startRetrying(java.util.function.Supplier<List<String>> args) {
        for (int attempt = 1; ; attempt++) {
            try {
                RedisProcess redis = new RedisProcess(freePort(), args.get());
                redis.startProcess();
                return redis;
            } catch (IOException e) {
                throw new IllegalStateException("Could not start redis-server", e);
            } catch (IllegalStateException e) {
                if (attempt >= 5 || !portTaken(e)) {
                    throw e;
                }
                System.err.println("[conflictguard-tests] a port was taken before redis-server bound it; trying"
                        + " another (attempt " + (attempt + 1) + ")");
            }
        }
    }

    /** Where the binary came from, for reports. */
    public static synchronized String origin() {
        binary();
        return origin;
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port}. */
    public String address() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Sends one command (inline, space-separated words) on a fresh connection of its own and
     * returns the first line of the reply, such as {@code :2} or {@code +OK}.
     */
    public String command(String inline) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((inline + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.BufferedReader reply = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
            String line = reply.readLine();
            if (line == null || line.startsWith("-")) {
                throw new IllegalStateException("redis-server on port " + port + " answered " + line + " to " + inline);
            }
            return line;
        } catch (IOException e) {
            throw new IllegalStateException("Could not send " + inline + " to redis-server on port " + port, e);
        }
    }

    /** Kills the process at once (SIGKILL), losing everything it held. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Stops the process where it is (SIGSTOP): it keeps its connections and answers nothing. */
    public void pause() {
        signal("-STOP");
    }

    /** Lets a paused process go on (SIGCONT). */
    public void resume() {
        signal("-CONT");
    }

    private void signal(String which) {
        try {
            Process kill = new ProcessBuilder("kill", which, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + which + " failed for redis-server on port " + port);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not signal redis-server on port " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts it again on the same port, empty. */
    public void restart() {
        kill();
        try {
            startProcess();
        } catch (IOException e) {
            throw new IllegalStateException("Could not restart redis-server on port " + port, e);
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static boolean portTaken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static int majorVersion;

    /** The major version of the redis-server binary ({@code redis-server --version}). */
    static synchronized int majorVersion() {
        if (majorVersion == 0) {
            try {
                Process version = new ProcessBuilder(binary().toString(), "--version").redirectErrorStream(true).start();
                String out = new String(version.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                version.waitFor(10, TimeUnit.SECONDS);
                java.util.regex.Matcher v = java.util.regex.Pattern.compile("v=(\\d+)\\.").matcher(out);
                majorVersion = v.find() ? Integer.parseInt(v.group(1)) : 6;
            } catch (IOException e) {
                majorVersion = 6;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                majorVersion = 6;
            }
        }
        return majorVersion;
    }

    private void startProcess() throws IOException {
        List<String> command = new ArrayList<>(sentinelConfig != null
                ? List.of(binary().toString(), sentinelConfig.toString(), "--sentinel", "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--dir", dir.toString())
                : List.of(binary().toString(), "--port", Integer.toString(port), "--bind",
                        "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(extraArgs);
        Path log = dir.resolve("redis.log");
        Process started = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        process = started;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        Awaitility.await("redis-server on port " + port + " (log: " + log + ")").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("redis-server exited: " + Files.readString(log));
                    }
                    return TestRedis.answersPing("127.0.0.1", port);
                });
    }

    /** The redis-server binary: on the PATH, else extracted from the embedded-redis jar. */
    static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                origin = "redis-server from the PATH";
                return binary = candidate;
            }
        }
        String platform = System.getProperty("os.name").toLowerCase(Locale.ROOT) + "/" + System.getProperty("os.arch");
        String resource = EMBEDDED_BINARIES.getOrDefault(platform, "/none-for-" + platform);
        try (InputStream in = RedisProcess.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No redis-server on the PATH and no bundled redis-server binary for "
                        + platform + "; install redis-server or point REDIS_URL at a Redis");
            }
            Path extracted = Files.createTempFile("conflictguard-redis-server", "");
            Files.copy(in, extracted, StandardCopyOption.REPLACE_EXISTING);
            extracted.toFile().setExecutable(true);
            extracted.toFile().deleteOnExit();
            origin = "redis-server binary from the embedded-redis jar";
            return binary = extracted;
        } catch (IOException e) {
            throw new IllegalStateException("Could not extract the bundled redis-server", e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
