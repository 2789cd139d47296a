package dev.vigil.runtime.config;

import java.util.concurrent.CountDownLatch;

/** What the services' {@code main} methods and the {@code vigil} service commands share. */
public final class Services {

    private Services() {
    }

    /**
     * Blocks until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes {@code service} from the shutdown
     * hook and returns once it is closed, so that the service commits what it did before the JVM exits.
     *
     * @param name names the hook's thread and the error printed if closing fails
     */
    public static void runUntilJvmStops(String name, AutoCloseable service) throws InterruptedException {
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
