package dev.vigil.cli;

import java.util.concurrent.CountDownLatch;

/** How the long-running commands ({@code collect}, {@code streams}, {@code sink}) wait for Ctrl-C or SIGTERM. */
final class UntilStopped {

    private UntilStopped() {
    }

    /** Blocks until the JVM is asked to stop, then closes {@code service} from the shutdown hook. */
    static void await(AutoCloseable service, String name) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("vigil: stopping " + name + " failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "vigil-" + name + "-shutdown"));
        stopped.await();
    }
}
