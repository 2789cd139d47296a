package dev.vigil.gateway.otlp;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.vigil.avro.DeadLetter;
import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Refusals;
import dev.vigil.gateway.publish.BatchAssembler;
import dev.vigil.gateway.publish.BatchPublisher;
import dev.vigil.gateway.publish.EncodedBatch;
import dev.vigil.gateway.publish.GatewayMetrics;
import dev.vigil.runtime.config.Services;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.deadletter.DeadLetterReason;
import dev.vigil.schemas.deadletter.DeadLetterStage;
import dev.vigil.schemas.deadletter.DeadLetters;

/**
 * Reads the OpenTelemetry Collector's Kafka exporter topic ({@code otlp_proto} encoding: one serialized
 * {@code ExportMetricsServiceRequest} per record) into {@code vigil.metrics}, <b>exactly once</b>: each poll's batches,
 * its dead letters and the consumer's offsets are one Kafka transaction (consume-transform-produce, the group's
 * metadata fencing a zombie instance), read {@code read_committed}. A record that does not parse goes to
 * {@code vigil.dead-letters} ({@code MALFORMED_OTLP}, stage {@code gateway}) and is counted; refused points are counted
 * as every protocol's are. When a transaction fails it is aborted and the consumer goes back to its committed offsets;
 * the cumulative points read again then give no rate for that one interval (the rate state has seen them).
 */
final class OtlpKafkaConsumer implements AutoCloseable {

    static final String PROTOCOL = "otlp_kafka";
    private static final Logger log = LoggerFactory.getLogger(OtlpKafkaConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String metricsTopic;
    private final OtlpMapper mapper;
    private final BatchAssembler assembler;
    private final GatewayMetrics metrics;
    private final EncodedBatch.Writer batches;
    private final Serializer<DeadLetter> deadLetters;
    private final Clock clock;
    private final Thread thread;
    private final AtomicReference<String> problem = new AtomicReference<>();
    private volatile boolean running = true;

    OtlpKafkaConsumer(Map<String, Object> kafka, String topic, String groupId, String metricsTopic, OtlpMapper mapper, BatchAssembler assembler,
                      GatewayMetrics metrics, EncodedBatch.Writer batches, Serializer<DeadLetter> deadLetters, Clock clock) {
        this.topic = topic;
        this.metricsTopic = metricsTopic;
        this.mapper = mapper;
        this.assembler = assembler;
        this.metrics = metrics;
        this.batches = batches;
        this.deadLetters = deadLetters;
        this.clock = clock;
        Map<String, Object> consumerSettings = new HashMap<>(kafka);
        consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerSettings.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerSettings.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        this.consumer = new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> producerSettings = new HashMap<>(kafka);
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        producerSettings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerSettings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vigil-gateway-otlp-kafka-" + UUID.randomUUID());
        BatchPublisher.putCompressionDefaults(producerSettings);
        this.producer = new KafkaProducer<>(producerSettings, new StringSerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "vigil-gateway-otlp-kafka");
        thread.setDaemon(true);
    }

    void start() {
        producer.initTransactions();
        consumer.subscribe(List.of(topic));
        thread.start();
    }

    /** Null while it consumes, else what is wrong. */
    String problem() {
        return problem.get();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    process(records);
                    problem.set(null);
                } catch (KafkaException e) {
                    if (!running) {
                        break;
                    }
                    problem.set("the OTLP topic's transaction failed: " + e.getMessage());
                    log.warn("A transaction on {} failed; going back to the committed offsets: {}", topic, e.toString());
                    try {
                        producer.abortTransaction();
                    } catch (KafkaException abort) {
                        log.warn("Aborting failed: {}", abort.toString());
                    }
                    rewind(records);
                    Services.backOff(Duration.ofSeconds(1));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            problem.set("the OTLP topic's consumer stopped: " + e);
            log.error("The consumer of {} stopped", topic, e);
        }
    }

    private void process(ConsumerRecords<byte[], byte[]> records) {
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int accepted = 0;
        Refusals refusals = new Refusals();
        int letters = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            MappedRequest mapped;
            try {
                if (record.value() == null) {
                    throw new InvalidProtocolBufferException("a record without a value");
                }
                mapped = mapper.map(record.value());
            } catch (InvalidProtocolBufferException e) {
                DeadLetter letter = DeadLetters.build(new DeadLetters.Source(record.topic(), record.partition(), record.offset()), record.key(),
                        record.value(), DeadLetterStage.GATEWAY, DeadLetterReason.MALFORMED_OTLP,
                        "not a serialized OTLP ExportMetricsServiceRequest: " + e.getMessage(), clock.instant());
                String deadLetterTopic = Topics.DEAD_LETTERS.name();
                producer.send(new ProducerRecord<>(deadLetterTopic, DeadLetters.key(letter), deadLetters.serialize(deadLetterTopic, letter)));
                letters++;
                continue;
            }
            refusals.addAll(mapped.refused());
            BatchAssembler.Assembled assembled = assembler.assemble(mapped.points(), clock.millis(), refusals);
            accepted += assembled.acceptedPoints();
            for (EncodedBatch batch : assembled.batches()) {
                producer.send(new ProducerRecord<>(metricsTopic, batch.hostId(), batches.value(metricsTopic, batch)));
            }
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
        metrics.accepted(PROTOCOL, accepted);
        metrics.refused(PROTOCOL, refusals.list());
        if (letters > 0) {
            metrics.registry().counter("vigil.gateway.dead.letters", "reason", DeadLetterReason.MALFORMED_OTLP.name()).increment(letters);
        }
    }

    /** Back to the last committed offsets of the partitions {@code records} came from. */
    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(records.partitions());
        for (TopicPartition partition : records.partitions()) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
    }
}
