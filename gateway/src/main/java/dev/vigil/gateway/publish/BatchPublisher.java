package dev.vigil.gateway.publish;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.MetricBatch;
import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.model.Refusals;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;

/**
 * Publishes the points of one request to {@code vigil.metrics}, one {@link MetricBatch} per host keyed by host id, and
 * answers only once Kafka has acknowledged them: a protocol tells its client "accepted" after {@link #publish} returns
 * {@link Admission.Accepted}, never before, so nothing accepted is lost.
 *
 * <p><b>A request is published whole or not at all</b>: all its batches are sent in <em>one Kafka transaction</em> by
 * one of a pool of transactional producers, and committed (which waits for every acknowledgement) before the answer.
 * If anything fails the transaction is aborted, and consumers reading {@code read_committed} (the streams application,
 * exactly-once) never see any of it; the client is told to retry. Refused points (contract, series bound) are left
 * out of the transaction and reported; they are the client's fault and retrying them would not help.
 *
 * <p><b>Group commit</b>: requests that arrive while every producer is busy wait in one queue, and the next producer
 * to come free takes all of them (up to {@link #MAX_POINTS_PER_TRANSACTION} points) into one transaction, run by the
 * thread of the oldest; a failed transaction fails every request in it. A transaction's cost to the gateway (the
 * producer's wake-ups, one Kafka batch per partition to compress and account for, the produce and commit round trips)
 * hardly depends on its size, so the busier the gateway the less each request pays, while an idle one adds no delay.
 *
 * <p><b>Back-pressure</b>: at most {@code maxInFlight} requests are being published at once; one more is answered
 * {@link Admission.Overloaded} at once, before any of it is looked at. So is a request that no transaction took within
 * {@code timeout}, or whose transaction Kafka did not take within it (a full producer buffer, a slow or absent broker).
 * Rates are worked out only once a request holds its place; when it is then refused (no transaction in time, a failed
 * one), the retried cumulative points give no rate for that one interval (the tracker has seen them), never a wrong one.
 *
 * <p><b>No transaction is left open</b>: once begun, a transaction is committed or aborted before its producer is
 * used again or closed. An interrupt (the gateway stopping) is held back until then, and {@link #close} waits for the
 * transactions under way. An open transaction would hide everything after it on its partitions from every
 * {@code read_committed} consumer until the broker timed it out, a minute by default.
 */
public final class BatchPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchPublisher.class);

    /**
     * The gateway producers' compression unless {@code kafka.compression.type} says otherwise: snappy. Kafka compresses
     * each batch (here one to a few hosts' samples of one request, a few KB) with a new stream; snappy's costs about 6 us,
     * zstd's about 30 (lz4's, which allocates 128 KB per stream, about 40). Snappy made the gateway take about a quarter
     * more samples per CPU-second than zstd, for a topic about 1.8 times as large (compression 6.9 against 12.2): at the
     * gateway's rates that is a few MB/s, while its CPU is what a deployment sizes for. Prometheus, the benchmark's
     * anchor, compresses its own WAL with snappy too. {@code kafka.compression.type=zstd} for the smaller topic
     * (docs/benchmarks.md).
     */
    public static final String DEFAULT_COMPRESSION = "snappy";

    /**
     * zstd's level when {@code kafka.compression.type=zstd} and {@code kafka.compression.zstd.level} is not set: 1, not
     * Kafka's 3. Every Kafka batch starts a zstd stream, whose set-up at level 3 (tables for a larger window, cleared
     * first) cost more than compressing a gateway batch of a few KB: level 1 takes about a quarter of zstd's CPU off the
     * gateway for a topic 1 to 2 % larger (docs/benchmarks.md).
     */
    public static final int DEFAULT_ZSTD_LEVEL = 1;

    /**
     * A transaction takes at most this many points of waiting requests (a request of more goes alone): it bounds how
     * long a leader's own answer, and the requests after it, wait for one commit. 40 requests of Prometheus' 500.
     */
    static final int MAX_POINTS_PER_TRANSACTION = 20_000;

    /**
     * How many times a leader asks Kafka to commit a transaction whose commit timed out. Kafka allows no other call
     * then (the commit may be completing), and gives up on each after {@code timeout}; this bounds the wait.
     */
    static final int COMMIT_ATTEMPTS = 2;

    /**
     * A request's batches from the moment they wait for a transaction: {@link #QUEUED}, then either taken into one by a
     * leader ({@link #TAKEN}) and told its outcome, or {@link #WITHDRAWN} by its own thread when it waited too long.
     */
    private static final class Pending {
        static final int QUEUED = 0;
        static final int TAKEN = 1;
        static final int WITHDRAWN = 2;

        final BatchAssembler.Assembled assembled;
        final Thread owner = Thread.currentThread();
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        volatile Admission outcome;

        Pending(BatchAssembler.Assembled assembled) {
            this.assembled = assembled;
        }

        boolean waits() {
            return state.get() == QUEUED;
        }

        /** By a leader: whether it is now this leader's to publish. */
        boolean take() {
            return state.compareAndSet(QUEUED, TAKEN);
        }

        /** By its owner: whether no leader has it, and none will. */
        boolean withdraw() {
            return state.compareAndSet(QUEUED, WITHDRAWN);
        }

        void complete(Admission admission) {
            outcome = admission;
            if (owner != Thread.currentThread()) {
                // A leader reads its own outcome on return; a permit left to itself would only cut its next park short.
                LockSupport.unpark(owner);
            }
        }
    }

    /**
     * A leader's producer calls with interrupts held back: a call an interrupt cut short is made again (Kafka allows it
     * of each call made here), and the thread is interrupted again once the transaction is over.
     */
    private static final class HeldInterrupts {
        private boolean interrupted = Thread.interrupted();

        void call(Runnable producerCall) {
            while (true) {
                try {
                    producerCall.run();
                    return;
                } catch (InterruptException e) {
                    Thread.interrupted(); // InterruptException sets the flag again; the call would fail at once
                    interrupted = true;
                }
            }
        }

        void restore() {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kafka confirmed neither the commit nor its failure: the producer is replaced, and the client told so. */
    private static final class UnconfirmedCommit extends RuntimeException {
        UnconfirmedCommit(String message) {
            super(message);
        }
    }

    private final BatchAssembler assembler;
    private final GatewayMetrics metrics;
    private final String topic;
    private final EncodedBatch.Writer writer;
    private final Semaphore inFlight;
    private final BlockingQueue<Producer<String, byte[]>> producers;
    private final int poolSize;
    /** Set by {@link #close} once it has closed what it could: a producer given back after that is closed at once. */
    private volatile boolean closed;
    private final Function<Integer, Producer<String, byte[]>> producerFactory;
    private final Duration timeout;
    private final Duration retryAfter;
    private final Clock clock;
    private final Timer publishTimer;
    private final AtomicInteger nextProducer;
    /** Requests whose batches wait for a transaction, oldest first. */
    private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final DistributionSummary requestsPerTransaction;

    /**
     * @param producerFactory makes the {@code n}th transactional producer of the pool, transactions initialised
     * @param poolSize        how many transactions may be open at once
     * @param maxInFlight     how many requests may be publishing (or waiting for a producer) at once
     * @param timeout         how long a request may wait for a producer, and a transaction for Kafka
     * @param retryAfter      what an overloaded answer tells the client to wait
     */
    public BatchPublisher(BatchAssembler assembler, GatewayMetrics metrics, String topic, EncodedBatch.Writer writer,
                          Function<Integer, Producer<String, byte[]>> producerFactory, int poolSize, int maxInFlight, Duration timeout,
                          Duration retryAfter, Clock clock) {
        this.assembler = Objects.requireNonNull(assembler, "assembler can't be null");
        this.metrics = Objects.requireNonNull(metrics, "metrics can't be null");
        this.topic = Objects.requireNonNull(topic, "topic can't be null");
        this.writer = Objects.requireNonNull(writer, "writer can't be null");
        this.producerFactory = Objects.requireNonNull(producerFactory, "producerFactory can't be null");
        this.inFlight = new Semaphore(maxInFlight);
        this.producers = new ArrayBlockingQueue<>(poolSize);
        this.poolSize = poolSize;
        this.timeout = timeout;
        this.retryAfter = retryAfter;
        this.clock = clock;
        this.nextProducer = new AtomicInteger(poolSize);
        for (int i = 0; i < poolSize; i++) {
            producers.add(producerFactory.apply(i));
        }
        this.publishTimer = Timer.builder("vigil.gateway.publish.duration")
                .description("Time from a request's points to Kafka's commit of its batches").register(metrics.registry());
        this.requestsPerTransaction = DistributionSummary.builder("vigil.gateway.publish.transaction.requests")
                .description("Requests published together in one Kafka transaction").register(metrics.registry());
        Gauge.builder("vigil.gateway.publish.waiting", waiting, Queue::size)
                .description("Requests waiting for a Kafka transaction (all producers busy)").register(metrics.registry());
        Gauge.builder("vigil.gateway.publish.in.flight", inFlight, s -> maxInFlight - s.availablePermits())
                .description("Requests being published").register(metrics.registry());
        Gauge.builder("vigil.gateway.rate.series", assembler, BatchAssembler::rateSeries)
                .description("Cumulative series whose last point is remembered").register(metrics.registry());
    }

    /**
     * The transactional producer settings for the pool: {@code kafka} (the {@code kafka.*} settings) plus idempotence,
     * {@code acks=all}, {@link #DEFAULT_COMPRESSION} (zstd at {@link #DEFAULT_ZSTD_LEVEL} if chosen), a transactional id {@code vigil-gateway-<random>-<n>} (a request's transaction is never resumed
     * by another process, so ids need not survive a restart) and {@code max.block.ms} = {@code timeout}.
     */
    public static Function<Integer, Producer<String, byte[]>> kafkaProducers(Map<String, Object> kafka, Duration timeout) {
        String prefix = "vigil-gateway-" + UUID.randomUUID() + "-";
        return n -> {
            Map<String, Object> settings = new HashMap<>(kafka);
            settings.put(ProducerConfig.ACKS_CONFIG, "all");
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + n);
            settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
            putCompressionDefaults(settings);
            settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
            settings.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 1_000) + 1_000);
            settings.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 1_000));
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
            try {
                producer.initTransactions();
            } catch (RuntimeException e) {
                producer.close(Duration.ZERO); // nothing begun yet: only its threads to stop
                throw e;
            }
            return producer;
        };
    }

    /**
     * Adds the gateway's compression ({@link #DEFAULT_COMPRESSION}, zstd at {@link #DEFAULT_ZSTD_LEVEL} if chosen) to a
     * producer's {@code settings} where they do not set it: every producer of the gateway's takes them from here.
     */
    public static void putCompressionDefaults(Map<String, Object> settings) {
        settings.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, DEFAULT_COMPRESSION);
        settings.putIfAbsent(ProducerConfig.COMPRESSION_ZSTD_LEVEL_CONFIG, DEFAULT_ZSTD_LEVEL);
    }

    /**
     * Publishes what {@code protocol} mapped from one request, whole or not at all (see the class comment), and counts
     * the outcome in {@link GatewayMetrics}.
     */
    public Admission publish(String protocol, MappedRequest request) {
        Objects.requireNonNull(protocol, "protocol can't be null");
        int total = request.totalPoints();
        if (!inFlight.tryAcquire()) {
            return refuseWhole(protocol, total, new Admission.Overloaded(retryAfter,
                    "the gateway has too many requests in flight to Kafka; retry after " + retryAfter.toSeconds() + " s"));
        }
        try {
            long started = System.nanoTime();
            Refusals refusals = new Refusals();
            refusals.addAll(request.refused());
            BatchAssembler.Assembled assembled = assembler.assemble(request.points(), clock.millis(), refusals);
            Admission outcome = assembled.batches().isEmpty() ? accepted(assembled) : commit(new Pending(assembled), started + timeout.toNanos());
            publishTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            if (outcome instanceof Admission.Accepted accepted) {
                metrics.accepted(protocol, accepted.acceptedPoints());
                metrics.refused(protocol, accepted.refused());
                return accepted;
            }
            return refuseWhole(protocol, total, outcome);
        } finally {
            inFlight.release();
        }
    }

    /**
     * Waits until {@code pending} has been committed or refused, leading a transaction whenever a producer is free:
     * the calling thread then publishes every request waiting at that moment, its own among them unless too many
     * points wait before it (it then goes on waiting, or leads again).
     */
    private Admission commit(Pending pending, long deadline) {
        waiting.add(pending);
        boolean interrupted = false;
        try {
            while (true) {
                Admission outcome = pending.outcome;
                if (outcome != null) {
                    return outcome;
                }
                Producer<String, byte[]> producer = producers.poll();
                if (producer != null) {
                    lead(producer);
                    continue;
                }
                interrupted |= Thread.interrupted(); // a pending interrupt would make every park return at once
                long left = deadline - System.nanoTime();
                if ((left <= 0 || interrupted) && pending.withdraw()) {
                    waiting.remove(pending);
                    wakeNextLeader(); // it may have been the one woken to lead: the next waiting request leads instead
                    return interrupted
                            ? new Admission.Unavailable(retryAfter, "the gateway is stopping")
                            : new Admission.Overloaded(retryAfter, "no Kafka producer became free within " + timeout.toMillis()
                                    + " ms; retry after " + retryAfter.toSeconds() + " s");
                }
                // Not withdrawn: a leader holds it, and Kafka's own timeouts bound how long it will be.
                LockSupport.parkNanos(this, Math.max(left, TimeUnit.MILLISECONDS.toNanos(1)));
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Publishes the requests waiting now, from the oldest, in one transaction on {@code producer} (at most
     * {@link #MAX_POINTS_PER_TRANSACTION} points unless the first alone has more), gives the producer back, and tells
     * each request its outcome. Interrupts are held back until then (see the class comment).
     */
    private void lead(Producer<String, byte[]> producer) {
        HeldInterrupts held = new HeldInterrupts();
        List<Pending> group = new ArrayList<>();
        long points = 0;
        Pending next;
        while ((group.isEmpty() || points < MAX_POINTS_PER_TRANSACTION) && (next = waiting.poll()) != null) {
            if (next.take()) {
                group.add(next);
                points += next.assembled.acceptedPoints();
            }
        }
        boolean committed = false;
        Admission failure = new Admission.Unavailable(retryAfter, "the gateway failed to publish the request; nothing of it was published");
        try {
            if (!group.isEmpty()) {
                requestsPerTransaction.record(group.size());
                failure = send(producer, group, held);
                committed = failure == null;
            }
        } catch (RuntimeException e) {
            // The producer cannot go on (fenced, out of sequence, not authorised, a commit never confirmed, or a bug).
            log.warn("A gateway producer failed and is replaced: {}", e.toString());
            failure = new Admission.Unavailable(retryAfter, e instanceof UnconfirmedCommit ? e.getMessage()
                    : "the gateway's Kafka producer failed (" + e.getMessage() + "); nothing of the request was published");
            producer = replace(producer);
        } finally {
            // Whatever happened, every request taken is answered: its thread waits for nothing else.
            producers.add(producer);
            if (closed) {
                closeIdle();
            }
            wakeNextLeader();
            for (Pending member : group) {
                member.complete(committed ? accepted(member.assembled) : failure);
            }
            held.restore();
        }
    }

    /** Wakes the oldest waiting request, so that it takes a free producer and leads the next transaction. */
    private void wakeNextLeader() {
        Pending head;
        while ((head = waiting.peek()) != null) {
            if (head.waits()) {
                LockSupport.unpark(head.owner);
                return;
            }
            waiting.remove(head); // withdrawn (its thread removes it too; a leader polls what it takes)
        }
    }

    /**
     * Sends {@code group}'s batches in one transaction and commits it: null if committed, else what to answer. Throws
     * when the producer cannot go on: it is then the leader's to replace.
     */
    private Admission send(Producer<String, byte[]> producer, List<Pending> group, HeldInterrupts held) {
        try {
            producer.beginTransaction();
            for (Pending member : group) {
                for (EncodedBatch batch : member.assembled.batches()) {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, batch.hostId(), writer.value(topic, batch));
                    held.call(() -> producer.send(record));
                }
            }
        } catch (TimeoutException e) {
            abort(producer, held);
            return new Admission.Overloaded(retryAfter, "Kafka did not take the request within " + timeout.toMillis() + " ms ("
                    + e.getMessage() + "); nothing of it was published, retry after " + retryAfter.toSeconds() + " s");
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e; // the producer cannot go on: replaced by the leader
        } catch (KafkaException e) {
            abort(producer, held);
            return new Admission.Unavailable(retryAfter, "Kafka failed the request (" + e.getMessage() + "); nothing of it was published");
        }
        return commit(producer, held);
    }

    /** Commits the open transaction (flushing and waiting for every acknowledgement): null if committed, else what to answer. */
    private Admission commit(Producer<String, byte[]> producer, HeldInterrupts held) {
        for (int attempt = 1; ; attempt++) {
            try {
                held.call(producer::commitTransaction);
                return null;
            } catch (TimeoutException e) {
                if (attempt == COMMIT_ATTEMPTS) {
                    throw new UnconfirmedCommit("Kafka confirmed neither the commit nor its failure within " + COMMIT_ATTEMPTS + " x "
                            + timeout.toMillis() + " ms (" + e.getMessage() + "); the request may have been published");
                }
                // The commit may be completing: Kafka allows only another commit, which answers for the first.
            } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
                throw e;
            } catch (KafkaException e) {
                abort(producer, held);
                return new Admission.Unavailable(retryAfter, "Kafka failed the request (" + e.getMessage() + "); nothing of it was published");
            }
        }
    }

    private static Admission accepted(BatchAssembler.Assembled assembled) {
        return new Admission.Accepted(assembled.acceptedPoints(), assembled.refusals().list());
    }

    /** Aborts the open transaction; if Kafka refuses, the next {@code beginTransaction} fails and the producer is replaced. */
    private void abort(Producer<String, byte[]> producer, HeldInterrupts held) {
        try {
            held.call(producer::abortTransaction);
        } catch (KafkaException e) {
            log.warn("Aborting a gateway transaction failed: {}", e.toString());
        }
    }

    /**
     * Closes {@code broken} and makes a producer with a new transactional id (the old one may be fenced). If none can be
     * made now, gives back the closed one: its next transaction fails at once, and it is replaced again then.
     */
    private Producer<String, byte[]> replace(Producer<String, byte[]> broken) {
        closeQuietly(broken);
        try {
            return producerFactory.apply(nextProducer.getAndIncrement());
        } catch (RuntimeException e) {
            log.warn("A gateway producer could not be replaced ({}); the next transaction tries again", e.toString());
            return broken;
        }
    }

    /**
     * Closes {@code producer}, waiting up to {@code timeout}: a graceful close aborts a transaction still open, or
     * lets a commit under way complete; one cut short would leave it open until the broker times it out.
     */
    private void closeQuietly(Producer<String, byte[]> producer) {
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            log.warn("Closing a gateway producer failed: {}", e.toString());
        }
    }

    private Admission refuseWhole(String protocol, int points, Admission outcome) {
        RefusalReason reason = outcome instanceof Admission.Overloaded ? RefusalReason.OVERLOADED : RefusalReason.UNAVAILABLE;
        metrics.refused(protocol, reason, points);
        metrics.requestRefused(protocol, reason);
        return outcome;
    }

    /** Forgets idle series; the gateway calls it every {@code SeriesTable.SWEEP_EVERY}. */
    public void expireIdle() {
        assembler.expireIdle();
    }

    public BatchAssembler assembler() {
        return assembler;
    }

    /**
     * Closes every producer, first waiting up to {@code timeout} for the transactions under way; a producer whose
     * transaction ends later is closed by its leader.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (int done = 0; done < poolSize; done++) {
                Producer<String, byte[]> producer = producers.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (producer == null) {
                    log.warn("{} gateway transaction(s) still under way after {} ms; each producer is closed when its transaction ends",
                            poolSize - done, timeout.toMillis());
                    break;
                }
                closeQuietly(producer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        closeIdle(); // one given back between the last poll and the flag
    }

    private void closeIdle() {
        Producer<String, byte[]> producer;
        while ((producer = producers.poll()) != null) {
            closeQuietly(producer);
        }
    }
}
