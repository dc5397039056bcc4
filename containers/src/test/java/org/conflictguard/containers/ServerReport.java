package org.conflictguard.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.jboss.arquillian.container.spi.event.container.AfterDeploy;
import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.container.spi.event.container.BeforeStart;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Writes how long each server took to be ready with a deployment (start and deploy: Payara Micro's
 * adapter starts the server when it deploys) and the resident memory of its process then, to the
 * file in {@code containers.report}. Client side only: registered through META-INF/services.
 */
public class ServerReport implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(Timer.class);
    }

    /** Observes Arquillian's container events. */
    public static class Timer {

        private long started = -1;

        public void beforeStart(@Observes BeforeStart event) {
            started = System.nanoTime();
        }

        public void beforeDeploy(@Observes BeforeDeploy event) {
            if (started < 0) {
                started = System.nanoTime();
            }
        }

        public void afterDeploy(@Observes AfterDeploy event) {
            double seconds = (System.nanoTime() - started) / 1e9;
            started = -1;
            long rss = ProcessHandle.current().descendants().mapToLong(ServerReport::residentKib).max().orElse(0);
            String line = String.format(Locale.ROOT, "%s %s: ready in %.1f s (%s), %d MiB resident, Java %s%n",
                    System.getProperty("containers.server"), event.getDeployment().getArchive().getName(), seconds,
                    seconds > 0 && firstDeployment ? "start and deploy" : "deploy", rss / 1024,
                    Runtime.version().feature());
            firstDeployment = false;
            String report = System.getProperty("containers.report");
            System.out.print("[containers] " + line);
            if (report != null) {
                try {
                    Files.writeString(Path.of(report), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new IllegalStateException("Cannot write " + report, e);
                }
            }
        }

        private boolean firstDeployment = true;
    }

    /** The resident set of a process in KiB, from /proc (0 where that cannot be read). */
    static long residentKib(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
