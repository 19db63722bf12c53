package io.tributary.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Services in their own JVMs, so that a test can kill one outright ({@code SIGKILL}: no shutdown hook, no
 * finally block, no last offset commit) as a crash or the OOM killer would. A child runs this JVM's java
 * with this JVM's class path (Failsafe's manifest-only jar carries it), so it runs exactly the code under
 * test; its output goes to {@code <dir>/<name>-<n>.log}.
 *
 * <p>No child outlives the tests: {@link #close()} (call it in {@code @AfterAll}) kills every child this
 * instance started, and a shutdown hook kills every child still alive when the test JVM exits (a test
 * run interrupted with Ctrl-C, a failed {@code @BeforeAll}).
 */
final class ChildJvms implements AutoCloseable {

    private static final Set<Process> ALIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALIVE.forEach(Process::destroyForcibly),
                "kill-child-jvms"));
    }

    /** A started child JVM. */
    record Child(String name, Process process, Path log) {

        boolean isAlive() {
            return process.isAlive();
        }

        /** {@code SIGKILL}, then waits for the process to be gone; returns its exit status (137). */
        int kill() {
            process.destroyForcibly();
            return awaitExit();
        }

        /** {@code SIGSTOP}: the JVM stops where it is (mid-transaction, mid-commit) until {@link #thaw()} or a kill. */
        void freeze() {
            signal("STOP");
        }

        /** {@code SIGCONT}: a frozen JVM goes on. */
        void thaw() {
            signal("CONT");
        }

        private void signal(String name) {
            try {
                int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start()
                        .waitFor();
                if (status != 0) {
                    throw new IllegalStateException("kill -" + name + " " + this + " exited with " + status);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("kill -" + name + " " + this + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** {@code SIGTERM} (the JVM's shutdown hooks run: a graceful stop), then waits for the exit. */
        int stop() {
            process.destroy();
            return awaitExit();
        }

        int awaitExit() {
            try {
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(name + " did not exit within 2 minutes; killed");
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted waiting for " + name + " to exit", e);
            }
        }

        /** The last lines of the child's output, for an assertion message. */
        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public String toString() {
            return name + " (pid " + process.pid() + ", log " + log + ")";
        }
    }

    private final Path dir;
    private final List<Child> started = new ArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();

    ChildJvms(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code mainClass} in a child JVM with a small heap and quick start-up JIT settings. */
    synchronized Child start(String name, String maxHeap, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(
                        () -> new IllegalStateException("Cannot tell which java runs this JVM")),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(Arrays.asList(args));
        Path log = dir.resolve(name + "-" + sequence.incrementAndGet() + ".log");
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            ALIVE.add(process);
            process.onExit().thenRun(() -> ALIVE.remove(process));
            Child child = new Child(name, process, log);
            started.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to start " + name + " (" + mainClass + ")", e);
        }
    }

    /** writer-service in a child JVM; arguments as {@link PipelineServices#writerArgs}. */
    Child writer(String bootstrap, Path mainDb, String... extra) {
        return start("writer", "384m", "io.tributary.writer.WriterApplication",
                PipelineServices.writerArgs(bootstrap, mainDb, extra));
    }

    /** poller-service in a child JVM; arguments as {@link PipelineServices#pollerArgs}. */
    Child poller(String bootstrap, String sourceId, int simulatorPort, String... extra) {
        return start("poller", "256m", "io.tributary.poller.PollerApplication",
                PipelineServices.pollerArgs(bootstrap, sourceId, simulatorPort, extra));
    }

    /** A TCP port free on the loopback interface right now (for a service that must keep its port). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    /** Kills every child this instance started that is still alive. */
    @Override
    public synchronized void close() {
        for (Child child : started) {
            if (child.isAlive()) {
                child.kill();
            }
        }
    }
}
