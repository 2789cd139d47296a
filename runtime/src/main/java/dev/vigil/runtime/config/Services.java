package dev.vigil.runtime.config;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.errors.WakeupException;

/** What the services' {@code main} methods and the {@code vigil} service commands share. */
public final class Services {

    private Services() {
    }

    /**
     * Sleeps {@code duration} in a consumer loop's backoff. An interrupt ends the loop as {@code consumer.wakeup()}
     * does, with a {@link WakeupException}, the interrupt flag kept.
     */
    public static void backOff(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
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
