package dev.vigil.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Sample;
import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.collectors.simulator.SimulationRunner;
import dev.vigil.schemas.Topics;

/**
 * A simulated fleet producing to {@code vigil.metrics} on its own thread, keeping the ledger the harnesses
 * check ClickHouse against: how many samples it sent that the pipeline should store, and their sum.
 *
 * <p>Ticks go out at {@code speed} times real time (0: as fast as Kafka takes them) but never ahead of the wall
 * clock: a history in the past is sent fast, and from the moment the feed catches up with the clock each tick
 * goes out when its time comes, as real collectors send. With {@code spread}, each host's batch is stamped and
 * sent at its own offset within the interval, as independent collectors do, instead of the whole fleet at once.
 *
 * <p>A fault is injected with {@link #alter}: every batch passes through the alteration before it is sent (or is not
 * sent, when the alteration gives null: a host that stops reporting), and the ledger counts only the samples the given
 * predicate says the pipeline should store.
 */
public final class FleetFeed implements AutoCloseable {

    /**
     * @param hosts          simulated hosts
     * @param metricsPerHost series per host
     * @param interval       simulated time between a host's batches
     * @param start          time of the first tick
     * @param speed          simulated seconds per wall-clock second; 0 for as fast as it goes (never ahead of the clock)
     * @param spread         stamp and send each host's batch at its own offset within the interval
     * @param seed           the simulator's seed
     * @param meanTimeBetweenAnomalies per series; {@link Duration#ZERO} for none
     */
    public record Options(int hosts, int metricsPerHost, Duration interval, Instant start, double speed, boolean spread, long seed,
                          Duration meanTimeBetweenAnomalies) {
        public Options {
            Objects.requireNonNull(interval, "interval can't be null");
            Objects.requireNonNull(start, "start can't be null");
            if (speed < 0) {
                throw new IllegalArgumentException("speed must not be negative");
            }
        }
    }

    private static final Duration SLICE = Duration.ofMillis(5);

    private final Options options;
    private final FleetSimulator simulator;
    private final Producer<String, MetricBatch> producer;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean pauseRequested;
    private boolean paused; // guarded by this
    /** One field, so that a batch is never altered by one fault and counted by another's predicate. */
    private volatile Fault fault = new Fault(UnaryOperator.identity(), (batch, sample) -> true);
    private volatile LongConsumer onLiveTick = tick -> { };
    private volatile RuntimeException failure;
    // The ledger: written by the feed thread, read under the lock once the feed is paused or stopped.
    private long sentSamples;
    private long expectedSamples;
    private double expectedSum;
    private long ticks;

    public FleetFeed(Options options, Map<String, ?> kafka, Serializer<MetricBatch> serializer) {
        this.options = Objects.requireNonNull(options, "options can't be null");
        this.simulator = new FleetSimulator(new FleetSimulator.Options(options.hosts(), options.metricsPerHost(), options.seed(),
                options.start(), options.interval(), options.meanTimeBetweenAnomalies(), Duration.ofMinutes(20)));
        this.producer = SimulationRunner.producer(kafka, serializer);
        this.thread = new Thread(this::run, "fleet-feed");
    }

    public FleetFeed start() {
        thread.start();
        return this;
    }

    /**
     * From the next batch on, sends {@code alteration(batch)} instead of each batch (nothing when it is null), and expects
     * the pipeline to store only the samples {@code storedIf} accepts. {@link #clearAlteration()} goes back to the plain fleet.
     */
    public void alter(UnaryOperator<MetricBatch> alteration, BiPredicate<MetricBatch, Sample> storedIf) {
        this.fault = new Fault(Objects.requireNonNull(alteration, "alteration can't be null"), Objects.requireNonNull(storedIf, "storedIf can't be null"));
    }

    private record Fault(UnaryOperator<MetricBatch> alteration, BiPredicate<MetricBatch, Sample> storedIf) {
    }

    public void clearAlteration() {
        alter(UnaryOperator.identity(), (batch, sample) -> true);
    }

    /** Called with each tick's time when it is sent in real time (the feed has caught up with the clock). */
    public void onLiveTick(LongConsumer listener) {
        this.onLiveTick = Objects.requireNonNull(listener, "listener can't be null");
    }

    /** The stamp of the last host's batch of the tick at {@code tickMillis}: with spread, late in the interval. */
    public long lastStamp(long tickMillis) {
        return stamp(tickMillis, options.hosts() - 1);
    }

    /** Stops sending after the current batch and waits until everything sent is acknowledged by the broker. */
    public synchronized Ledger pause() throws InterruptedException {
        pauseRequested = true;
        while (!paused && thread.isAlive()) {
            wait(100);
        }
        throwIfFailed();
        return new Ledger(sentSamples, expectedSamples, expectedSum, ticks);
    }

    public synchronized void resume() {
        pauseRequested = false;
        notifyAll();
    }

    /** Samples handed to the producer so far. */
    public synchronized long sentSamples() {
        return sentSamples;
    }

    /** What was sent so far and what the pipeline should have stored of it. */
    public record Ledger(long sentSamples, long expectedSamples, double expectedSum, long ticks) {
    }

    private void run() {
        long wallStart = System.currentTimeMillis();
        long first = options.start().toEpochMilli();
        try {
            while (!stopping) {
                awaitResume();
                long tick = simulator.nextTime().toEpochMilli();
                long due = options.speed() == 0 ? 0 : wallStart + (long) ((tick - first) / options.speed());
                boolean live = tick >= System.currentTimeMillis();
                sleepUntil(Math.max(due, live ? tick : 0));
                if (live) {
                    onLiveTick.accept(tick);
                }
                List<MetricBatch> batches = simulator.nextTick(anomaly -> { });
                for (int i = 0; i < batches.size() && !stopping; i++) {
                    MetricBatch batch = batches.get(i);
                    if (options.spread()) {
                        long stamp = stamp(tick, i);
                        batch = copy(batch, Instant.ofEpochMilli(stamp), batch.getSamples());
                        if (live) {
                            sleepUntil(stamp);
                        }
                    }
                    Fault current = fault;
                    MetricBatch altered = current.alteration().apply(batch);
                    if (altered != null) {
                        send(altered, current.storedIf());
                    }
                }
                synchronized (this) {
                    ticks++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            producer.flush();
            synchronized (this) {
                paused = true;
                notifyAll();
            }
        }
    }

    private void send(MetricBatch batch, BiPredicate<MetricBatch, Sample> stored) {
        producer.send(new ProducerRecord<>(Topics.METRICS.name(), batch.getHostId(), batch));
        synchronized (this) {
            sentSamples += batch.getSamples().size();
            for (Sample sample : batch.getSamples()) {
                if (stored.test(batch, sample)) {
                    expectedSamples++;
                    expectedSum += sample.getValue();
                }
            }
        }
    }

    private void awaitResume() throws InterruptedException {
        if (!pauseRequested) {
            return;
        }
        producer.flush();
        synchronized (this) {
            paused = true;
            notifyAll();
            while (pauseRequested && !stopping) {
                wait(100);
            }
            paused = false;
        }
    }

    /**
     * {@code batch} with another time and samples. (The generated classes have no setters; a builder made from
     * another record would deep-copy every sample.)
     */
    public static MetricBatch copy(MetricBatch batch, Instant collectedAt, List<Sample> samples) {
        return MetricBatch.newBuilder().setHostId(batch.getHostId()).setHostLabels(batch.getHostLabels()).setCollectedAt(collectedAt)
                .setSequence(batch.getSequence()).setSamples(samples).build();
    }

    private long stamp(long tick, int hostIndex) {
        return options.spread() ? tick + hostIndex * options.interval().toMillis() / options.hosts() : tick;
    }

    private void sleepUntil(long epochMillis) throws InterruptedException {
        for (long wait = epochMillis - System.currentTimeMillis(); wait > 0 && !stopping; wait = epochMillis - System.currentTimeMillis()) {
            Thread.sleep(Math.min(wait, SLICE.toMillis() * 20));
        }
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw new IllegalStateException("the fleet feed failed: " + failure, failure);
        }
    }

    /** Stops the feed; everything it sent is acknowledged when this returns. Returns the final ledger. */
    public Ledger stop() throws InterruptedException {
        stopping = true;
        thread.join();
        producer.close();
        throwIfFailed();
        synchronized (this) {
            return new Ledger(sentSamples, expectedSamples, expectedSum, ticks);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive() || !stopping) {
            stop();
        }
    }
}
