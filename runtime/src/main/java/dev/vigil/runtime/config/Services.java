package dev.vigil.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;

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

    /**
     * Closes what was started, the last started first; a failure is logged as a warning on {@code log} and the rest are
     * still closed.
     */
    public static void closeInReverse(List<? extends AutoCloseable> started, Logger log) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", started.get(i), e.toString());
            }
        }
    }
}
