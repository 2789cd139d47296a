package dev.vigil.stack;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in integration tests for something the real servers do asynchronously: bounded, and saying what it waited for. */
public final class Eventually {

    private Eventually() {
    }

    /**
     * Polls {@code condition} every 200 ms until it holds.
     *
     * @throws AssertionError naming {@code what} when it still does not hold after {@code timeout}
     */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
