package dev.vigil.collectors.spool;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.MetricBatch;

/**
 * Moves batches from the {@link Spool} to Kafka in sequence order and removes each once Kafka has
 * acknowledged it.
 *
 * <p>The producer is idempotent with an effectively unbounded delivery timeout, so while Kafka is away
 * it keeps retrying what it holds, in order and without duplicates, and the spool absorbs the rest (at
 * most {@code maxInFlight} batches are handed to the producer at once). Should the producer fail anyway
 * (a non-retriable error), it is closed and a new one resends from the oldest unacknowledged batch.
 */
public final class Shipper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Shipper.class);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final Spool spool;
    private final Supplier<Producer<String, MetricBatch>> producers;
    private final String topic;
    private final int maxInFlight;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong shipped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running = true;
    private volatile Producer<String, MetricBatch> producer;
    /** Bumped with every new producer, so late callbacks of a closed one are ignored. */
    private volatile int generation;
    private Thread thread;

    public Shipper(Spool spool, Supplier<Producer<String, MetricBatch>> producers, String topic, int maxInFlight) {
        this.spool = spool;
        this.producers = producers;
        this.topic = topic;
        this.maxInFlight = maxInFlight;
    }

    /** Starts shipping on a thread of its own. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        producer = producers.get();
        thread = new Thread(this::run, "vigil-shipper");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long handedUpTo = 0;
        while (running) {
            try {
                Exception failed = failure.getAndSet(null);
                if (failed != null) {
                    failures.incrementAndGet();
                    log.warn("Sending to {} failed ({}); resending from the oldest unacknowledged batch in {} ms",
                            topic, failed.toString(), RETRY_BACKOFF.toMillis());
                    producer.close(Duration.ZERO);
                    inFlight.clear();
                    Thread.sleep(RETRY_BACKOFF.toMillis());
                    producer = producers.get();
                    generation++;
                    handedUpTo = 0;
                    continue;
                }
                if (inFlight.size() >= maxInFlight) {
                    Thread.sleep(10);
                    continue;
                }
                Optional<Long> next = spool.nextAfter(handedUpTo, 200);
                if (next.isEmpty()) {
                    continue;
                }
                long sequence = next.get();
                handedUpTo = sequence;
                Optional<MetricBatch> batch = spool.read(sequence);
                if (batch.isEmpty()) {
                    continue; // dropped by the spool's size bound meanwhile
                }
                send(sequence, batch.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private void send(long sequence, MetricBatch batch) {
        inFlight.add(sequence);
        int sentBy = generation;
        producer.send(new ProducerRecord<>(topic, batch.getHostId(), batch), (metadata, error) -> {
            if (sentBy != generation) {
                return; // a closed producer aborting what it held: already being resent
            }
            if (error != null) {
                failure.compareAndSet(null, error);
                return;
            }
            try {
                spool.remove(sequence);
                shipped.incrementAndGet();
            } catch (IOException e) {
                log.warn("Cannot remove shipped batch {} from the spool: {}", sequence, e.toString());
            } finally {
                inFlight.remove(sequence);
            }
        });
    }

    /** Batches Kafka acknowledged. */
    public long shipped() {
        return shipped.get();
    }

    /** Times the producer failed and was replaced. */
    public long failures() {
        return failures.get();
    }



    /** Stops shipping; gives the producer {@code grace} to deliver what it holds. The rest stays spooled. */
    public synchronized void close(Duration grace) {
        running = false;
        if (thread != null) {
            try {
                thread.join(1_000); // it wakes at least every 200 ms
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Producer<String, MetricBatch> current = producer;
        if (current != null) {
            current.close(grace);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
