package dev.vigil.examples;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.schemas.serde.AvroDeserializer;

/**
 * Your own consumer of Vigil's alerts, as docs/alerts.md describes it: subscribe to {@code vigil.alerts} with
 * {@code read_committed} (the streams application writes in transactions) and the Avro deserializer, and
 * act on OPENED, UPDATED and RESOLVED events, keyed by {@code alertId}.
 *
 * <pre>java ... dev.vigil.examples.AlertConsumerExample 127.0.0.1:19092 http://127.0.0.1:18081/apis/ccompat/v7</pre>
 */
public final class AlertConsumerExample {

    private AlertConsumerExample() {
    }

    public static void main(String[] args) {
        run(args[0], args[1], "my-alert-handler", alert -> System.out.println(describe(alert)), () -> false);
    }

    /** Hands every alert event to {@code handler} until {@code stop} says so, committing after each poll. */
    public static void run(String bootstrapServers, String registryUrl, String groupId, Consumer<Alert> handler, BooleanSupplier stop) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", // only alerts of committed transactions
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                // Confluent's KafkaAvroDeserializer, with specific.avro.reader=true, reads the same wire format.
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class,
                "schema.registry.url", registryUrl);
        try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of("vigil.alerts"));
            while (!stop.getAsBoolean()) {
                for (ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(500))) {
                    handler.accept(record.value());
                }
                consumer.commitSync(); // at least once: make handlers idempotent on (alertId, event, eventTime)
            }
        }
    }

    /** One line per event, e.g. "OPENED CRITICAL web-01 system.cpu.utilization{state=user} ... (since 12:03:10Z)". */
    public static String describe(Alert alert) {
        String what = alert.getMetric() == null ? alert.getEvidence().size() + " series" : alert.getMetric() + alert.getLabels();
        return "%s %s %s %s peak %.2f: %s%s".formatted(alert.getEvent(), alert.getSeverity(), alert.getHostId(), what,
                alert.getPeakScore(), alert.getSummary(), alert.getEvent() == AlertEvent.OPENED ? " " + alert.getLinks().get("host") : "");
    }
}
