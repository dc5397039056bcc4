package org.conflictguard.example.tracker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What each server start cost: start-up time to a healthy application and resident memory,
 * printed and appended to {@code target/container-report.txt}.
 */
final class Report {

    private Report() {
    }

    static void started(TrackerServer server, String store) {
        line(String.format("%-8s %-9s started and healthy in %5.1f s, %4d MiB resident", server.kind, store,
                server.startup.toMillis() / 1000.0, server.residentMiB()));
    }

    static void measured(TrackerServer server, String store) {
        line(String.format("%-8s %-9s after the scenario:               %4d MiB resident", server.kind, store,
                server.residentMiB()));
    }

    private static synchronized void line(String line) {
        System.out.println(line);
        try {
            Path report = Path.of("target", "container-report.txt");
            Files.createDirectories(report.getParent());
            Files.writeString(report, line + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
