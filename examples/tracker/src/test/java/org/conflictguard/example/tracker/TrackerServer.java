package org.conflictguard.example.tracker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real application server process running the tracker WAR: Payara Micro (EclipseLink) or
 * WildFly (Hibernate ORM), bound to 127.0.0.1, each start in a fresh configuration directory.
 * The server's output goes to {@code server.log} in that directory.
 */
final class TrackerServer implements AutoCloseable {

    /** The servers the example runs on. */
    enum Kind { PAYARA, WILDFLY }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Kind kind;
    final URI base;
    final Path dir;
    final Duration startup;
    private final Process process;

    private TrackerServer(Kind kind, URI base, Path dir, Process process, Duration startup) {
        this.kind = kind;
        this.base = base;
        this.dir = dir;
        this.process = process;
        this.startup = startup;
    }

    /**
     * Starts a server with the WAR and waits until {@code api/health} answers.
     *
     * @param env environment for the server (the library reads CONFLICTGUARD_* from it)
     */
    static TrackerServer start(Kind kind, int port, Map<String, String> env) throws IOException, InterruptedException {
        Path war = Path.of(required("tracker.war"));
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "tracker-"
                + kind.name().toLowerCase() + "-");
        List<String> command = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        switch (kind) {
            case PAYARA -> {
                Path preboot = dir.resolve("preboot.txt");
                Files.writeString(preboot, "set configs.config.server-config.network-config.network-listeners"
                        + ".network-listener.http-listener.address=127.0.0.1\n");
                command.addAll(List.of(java, "-Xmx512m", "-jar",
                        Path.of(required("tracker.servers"), "payara-micro.jar").toString(),
                        "--deploy", war.toString(), "--port", String.valueOf(port), "--nocluster",
                        "--disablephonehome", "--rootdir", dir.resolve("root").toString(),
                        "--prebootcommandfile", preboot.toString()));
            }
            case WILDFLY -> {
                Path home = Path.of(required("tracker.wildfly"));
                Path base = dir.resolve("standalone");
                copyTree(home.resolve("standalone"), base);
                Files.copy(war, base.resolve("deployments").resolve("tracker.war"),
                        StandardCopyOption.REPLACE_EXISTING);
                command.addAll(List.of(home.resolve("bin/standalone.sh").toString(),
                        "-Djboss.server.base.dir=" + base, "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                        "-Djboss.socket.binding.port-offset=" + (port - 8080)));
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        long began = System.nanoTime();
        Process process = builder.start();
        URI base = URI.create("http://127.0.0.1:" + port + "/tracker/");
        TrackerServer server = new TrackerServer(kind, base, dir, process, null);
        try {
            server.awaitHealthy(Duration.ofMinutes(3));
        } catch (RuntimeException | Error e) {
            server.kill();
            throw new IllegalStateException(e.getMessage() + "\n--- " + kind + " output ---\n" + server.logTail(), e);
        }
        return new TrackerServer(kind, base, dir, process, Duration.ofNanos(System.nanoTime() - began));
    }

    private void awaitHealthy(Duration timeout) {
        org.awaitility.Awaitility.await(kind + " answering " + base.resolve("api/health")).atMost(timeout)
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(kind + " exited with " + process.exitValue() + ":\n"
                                + logTail());
                    }
                    try {
                        return HTTP.send(HttpRequest.newBuilder(base.resolve("api/health"))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode() == 200;
                    } catch (IOException notListeningYet) {
                        return false;
                    }
                });
    }

    /** The last lines of the server's output. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("server.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Resident memory of the server's processes, in MiB (from /proc). */
    long residentMiB() {
        long kb = Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .mapToLong(p -> vmRssKb(p.pid())).sum();
        return kb / 1024;
    }

    private static long vmRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended
        }
        return 0;
    }

    /** Kills the server at once (SIGKILL to every process of it), as a crash would. */
    void kill() throws InterruptedException {
        List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().join();
        }
    }

    /** Stops the server; kills it if it does not stop within 30 seconds. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                p.destroyForcibly();
            }
        }
    }

    /** A free loopback port, at least {@code above} (WildFly opens more ports at fixed offsets from it). */
    static int freePort(int above) {
        for (int candidate = above; candidate < above + 2000; candidate += 10) {
            int port = candidate;
            if (Stream.of(0, 363, 1910, 1913, -71, -3368, -3367).allMatch(delta -> free(port + delta))) {
                return port;
            }
        }
        throw new IllegalStateException("no free port above " + above);
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run through Maven"
                    + " (mvn -f examples/tracker verify), which sets it");
        }
        return value;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
