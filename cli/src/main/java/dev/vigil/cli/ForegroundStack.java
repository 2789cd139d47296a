package dev.vigil.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackOptions;

/**
 * Runs a local stack in the foreground: starts it with progress lines, lets the caller add to it, prints
 * where everything listens, then waits for Ctrl-C (or a set duration) and stops everything cleanly.
 */
final class ForegroundStack {

    private ForegroundStack() {
    }

    /**
     * @param afterStart what to do once the stack is up (create topics, start the pipeline ...); what it
     *                   returns is closed before the stack stops
     * @param runFor     stop by itself after this long; empty to wait for Ctrl-C
     */
    static int run(PrintWriter out, StackOptions options, Function<LocalStack, AutoCloseable> afterStart, Optional<Duration> runFor)
            throws Exception {
        long started = System.nanoTime();
        out.println("Starting Vigil's local stack in " + options.workDir().toAbsolutePath());
        out.flush();
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // The stack gets no shutdown hook of its own: on Ctrl-C the pipeline must stop before Kafka does.
        // "Stopped cleanly." is printed before the Ctrl-C hook is released: once it is, the JVM may halt at any moment.
        try {
            try (LocalStack stack = LocalStack.start(options, step -> {
                out.printf("  [%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, step);
                out.flush();
            }, false); AutoCloseable pipeline = afterStart.apply(stack)) {
                out.printf("Vigil is up after %.1f s. Where each part listens:%n", (System.nanoTime() - started) / 1e9);
                StackSummary.print(out, stack.endpoints());
                out.println(runFor.map(d -> "Stopping by itself after " + d.toSeconds() + " s (or on Ctrl-C).")
                        .orElse("Press Ctrl-C to stop everything."));
                out.flush();
                // Ctrl-C starts the JVM's shutdown: wake the main thread, then hold the JVM until it has stopped the
                // pipeline and the stack in order; if that hangs, stop the stack anyway so no child outlives us.
                Thread onCtrlC = new Thread(() -> {
                    stopRequested.countDown();
                    if (!awaitQuietly(stopped)) {
                        stack.close();
                    }
                }, "vigil-ctrl-c");
                Runtime.getRuntime().addShutdownHook(onCtrlC);
                if (runFor.isPresent()) {
                    stopRequested.await(runFor.get().toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    stopRequested.await();
                }
                out.println("Stopping Vigil's local stack...");
                out.flush();
            }
            out.println("Stopped cleanly.");
            out.flush();
        } finally {
            stopped.countDown();
        }
        return ExitCodes.OK;
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
