package dev.vigil.stack;

import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server of the local stack that runs as a child process: started, probed until {@link #isHealthy()},
 * stopped and restarted (its data stays between a stop and the next start).
 */
public abstract class ChildServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildServer.class);

    private final String name;
    private final ChildProcess process;
    private final Duration readyTimeout;
    private final Duration stopGrace;

    ChildServer(String name, ChildProcess process, Duration readyTimeout, Duration stopGrace) {
        this.name = name;
        this.process = process;
        this.readyTimeout = readyTimeout;
        this.stopGrace = stopGrace;
    }

    /** Whether the server answers its clients now. */
    public abstract boolean isHealthy();

    /** Where clients reach it, for log lines. */
    abstract String address();

    /** Work to do before each start, such as writing the config. */
    void beforeStart() {
    }

    /** Starts the process; {@link #awaitReady()} waits for it, so the stack can start others meanwhile. */
    public void start() {
        beforeStart();
        process.start();
    }

    /** Waits until the server answers, or fails with the tail of its log. */
    public void awaitReady() {
        process.awaitReady(this::isHealthy, readyTimeout);
        log.info("{} ready at {}", name, address());
    }

    /** The child's pid while it runs. */
    public Optional<Long> pid() {
        return process.pid();
    }

    /** SIGTERM, then SIGKILL after the grace period. Safe to call when stopped. */
    public void stop() {
        process.stop(stopGrace);
    }

    /**
     * SIGSTOP: the process stays, its port accepts connections, but nothing answers them: a hung server, the
     * harder kind of outage for clients (they wait for their timeouts instead of being refused at once).
     * {@link #thaw()} lets it go on where it was, state and data intact.
     */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        long pid = pid().orElseThrow(() -> new StackException(name + " is not running"));
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (kill.waitFor() != 0) {
                throw new StackException("kill -" + signal + " " + pid + " failed: " + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (java.io.IOException e) {
            throw new StackException("cannot signal " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while signalling " + name, e);
        }
        log.info("Sent SIG{} to {} (pid {})", signal, name, pid);
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops a server an earlier, killed run left behind in the same work folder. */
    void stopStale() {
        process.stopStaleChild();
    }
}
