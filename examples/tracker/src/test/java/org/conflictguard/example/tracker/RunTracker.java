package org.conflictguard.example.tracker;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mvn -f examples/tracker -Prun}: starts the tracker on Payara Micro with its embedded
 * default (in-memory H2, the database store), on 127.0.0.1, prints the URL and runs until Ctrl+C.
 * Environment variables reach the server: {@code CONFLICTGUARD_REDIS_ADDRESS=redis://127.0.0.1:6379}
 * switches it to Redis.
 */
public final class RunTracker {

    private RunTracker() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("tracker.port", 8080);
        System.out.println("Starting Payara Micro with the tracker on 127.0.0.1:" + port + " ...");
        TrackerServer server = TrackerServer.start(TrackerServer.Kind.PAYARA, port, Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        }));
        System.out.printf("%nTracker is up after %.1f s. Open %s%nServer output: %s%nCtrl+C stops it.%n",
                server.startup.toMillis() / 1000.0, server.base, server.dir.resolve("server.log"));
        stopped.await();
    }
}
