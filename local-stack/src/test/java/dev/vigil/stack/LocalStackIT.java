package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.data.ClickHouseFormat;

@ExtendWith(LocalStackExtension.class)
class LocalStackIT {

    @Test
    void shouldWriteTheStateFileThatStackStatusReads(StackEndpoints stack) {
        StackEndpoints.Recorded recorded = LocalStack.running(stack.workDir()).orElseThrow();

        assertThat(recorded.endpoints()).isEqualTo(stack);
        assertThat(recorded.ownerPid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void shouldProduceAndConsumeThroughTheBroker(StackEndpoints stack) throws Exception {
        String topic = "it-roundtrip-" + UUID.randomUUID();
        createTopic(stack, topic);

        try (var producer = new KafkaProducer<>(producerProps(stack), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "host-" + (i % 3), "value-" + i)).get(10, TimeUnit.SECONDS);
            }
        }

        assertThat(consumeAll(stack, topic, 10)).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("value-0", "value-1", "value-2", "value-3", "value-4",
                        "value-5", "value-6", "value-7", "value-8", "value-9");
    }

    @Test
    void shouldKeepDataAcrossABrokerRestart(LocalStack stack) throws Exception {
        String topic = "it-restart-" + UUID.randomUUID();
        createTopic(stack.endpoints(), topic);
        try (var producer = new KafkaProducer<>(producerProps(stack.endpoints()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "before restart")).get(10, TimeUnit.SECONDS);
        }

        stack.kafka().stop();
        stack.kafka().start();

        assertThat(consumeAll(stack.endpoints(), topic, 1)).extracting(ConsumerRecord::value).containsExactly("before restart");
    }

    @Test
    void shouldRegisterAndFetchASchemaThroughTheConfluentApiAndKeepItAcrossARegistryRestart(LocalStack localStack) throws Exception {
        StackEndpoints stack = localStack.endpoints();
        HttpClient http = HttpClient.newHttpClient();
        String subject = "it-" + UUID.randomUUID() + "-value";
        String schema = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Ping\\\",\\\"fields\\\":[{\\\"name\\\":\\\"n\\\",\\\"type\\\":\\\"int\\\"}]}";

        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"" + schema + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).isEqualTo(200);
        String id = registered.body().replaceAll("\\D+", "");
        localStack.registry().stop();
        localStack.registry().start();
        localStack.registry().awaitReady();

        HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + "/schemas/ids/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).contains("Ping");
    }

    @Test
    void shouldCreateInsertAndQueryAClickHouseTable(StackEndpoints stack) throws Exception {
        // client-v2's compressed responses come back empty from 18.16: ask for plain ones.
        try (Client client = new Client.Builder().addEndpoint(stack.clickHouseHttpUrl()).setUsername("default").setPassword("")
                .compressServerResponse(false).build()) {
            client.execute("CREATE TABLE IF NOT EXISTS it_samples (host String, ts DateTime, value Float64) "
                    + "ENGINE = MergeTree() PARTITION BY toYYYYMMDD(ts) ORDER BY (host, ts)").get(30, TimeUnit.SECONDS);
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                rows.append("{\"host\":\"h").append(i % 10).append("\",\"ts\":\"2026-11-21 10:00:").append(String.format("%02d", i % 60))
                        .append("\",\"value\":").append(i).append("}\n");
            }
            client.insert("it_samples", new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)),
                    ClickHouseFormat.JSONEachRow).get(30, TimeUnit.SECONDS);

            List<String> result = queryLines(client, "SELECT count(), sum(value), uniqExact(host) FROM it_samples FORMAT TabSeparated");

            assertThat(result).containsExactly("1000\t499500\t10");
        }
    }

    private static List<String> queryLines(Client client, String sql) throws Exception {
        QueryResponse response = client.query(sql).get(30, TimeUnit.SECONDS);
        try {
            return new String(response.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } finally {
            response.close();
        }
    }

    private static void createTopic(StackEndpoints stack, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Properties producerProps(StackEndpoints stack) {
        Properties props = new Properties();
        props.put("bootstrap.servers", stack.kafkaBootstrapServers());
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        return props;
    }

    private static List<ConsumerRecord<String, String>> consumeAll(StackEndpoints stack, String topic, int expected) {
        return TopicReader.of(stack.kafkaBootstrapServers(), topic, IsolationLevel.READ_COMMITTED, new StringDeserializer(),
                new StringDeserializer()).readAtLeast(expected, Duration.ofSeconds(30));
    }
}
