package org.conflictguard.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A holder JVM ({@code reliability.HolderMain}) the tests start, talk to, stop, continue and kill. */
public final class HolderProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final String claimed;

    private HolderProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.claimed = nextLineStartingWith("CLAIMED ");
    }

    /**
     * Starts the holder, optionally under a command prefix (such as {@code faketime -f +2d}), and
     * waits until it has claimed its rows.
     */
    public static HolderProcess start(List<String> prefix, String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return new HolderProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** The holder's {@code CLAIMED <token> <leaseUntil>} line. */
    public String claimed() {
        return claimed;
    }

    /** Sends a command and returns the holder's answer. */
    public String ask(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
        return nextLineStartingWith("");
    }

    /** SIGSTOP: the holder stops in its tracks, renewals and all. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** SIGKILL to the holder and anything it started (a wrapper such as faketime runs the JVM as its child). */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Skips whatever the JVM or the JPA provider prints on standard output before the holder's own lines. */
    private String nextLineStartingWith(String prefix) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix) && !line.startsWith("[EL ")) {
                return line;
            }
        }
        throw new IllegalStateException("the holder ended without answering (exit " + exitValue() + ")");
    }

    private String exitValue() {
        return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
    }
}
