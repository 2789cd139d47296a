package dev.vigil.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.MetricBatch;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.security.Tokens;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TestCertificates;
import dev.vigil.stack.TopicReader;

/** The gateway on the local stack for the ITs: its own topics, an access file with a publisher and a viewer token. */
public final class GatewayFixture {

    public final String publisher = Tokens.generate("app");
    public final String viewer = Tokens.generate("grafana");
    private final StackEndpoints stack;
    private final Path dir;

    public GatewayFixture(StackEndpoints stack, Path dir) {
        this.stack = stack;
        this.dir = dir;
    }

    /** Creates {@code topics} (and the dead-letter topic if absent). */
    public void createTopics(String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            for (String topic : concat(topics, Topics.DEAD_LETTERS.name())) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private static String[] concat(String[] topics, String more) {
        String[] all = java.util.Arrays.copyOf(topics, topics.length + 1);
        all[topics.length] = more;
        return all;
    }

    /** Settings on the stack with an access file, any free ports, and {@code overrides}. */
    public GatewayConfig config(Map<String, String> overrides) throws Exception {
        return GatewayConfig.from(ConfigSource.of(settings(overrides, "")));
    }

    /**
     * As {@link #config}, serving TLS from {@code certificates}' server key (HTTP and OTLP/gRPC alike), asking client
     * certificates as {@code clientAuth} says ({@code none}, {@code want}, {@code need}); the access file also lists the
     * client certificate {@code certificatePublisher} (a name for {@link TestCertificates#clientKeyStore}) as a publisher.
     * The store password reaches the gateway in a file, as it would in production.
     */
    public GatewayConfig tlsConfig(Map<String, String> overrides, TestCertificates certificates, String clientAuth, String certificatePublisher)
            throws Exception {
        Path password = Files.writeString(dir.resolve("store-password"), certificates.password());
        Map<String, String> values = settings(overrides, """
                certificates:
                  - {subject: "%s", principal: %s, roles: [publisher]}
                """.formatted(TestCertificates.subject(certificatePublisher), certificatePublisher));
        values.putAll(Map.of("http.tls.keystore", certificates.serverKeyStore().toString(), "http.tls.keystore.password.file", password.toString(),
                "http.tls.client.auth", clientAuth, "http.tls.truststore", certificates.trustStore().toString(),
                "http.tls.truststore.password.file", password.toString()));
        values.putAll(overrides);
        return GatewayConfig.from(ConfigSource.of(values));
    }

    private Map<String, String> settings(Map<String, String> overrides, String moreAccess) throws Exception {
        Path access = Files.writeString(dir.resolve("access.yaml"), """
                tokens:
                  - {id: app, principal: app, roles: [publisher], sha256: %s}
                  - {id: grafana, principal: grafana, roles: [viewer], sha256: %s}
                """.formatted(Tokens.sha256Hex(publisher), Tokens.sha256Hex(viewer)) + moreAccess);
        Map<String, String> values = new HashMap<>(Map.of("kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(), "http.port", "0", "otlp.grpc.port", "0",
                "http.access.file", access.toString()));
        values.putAll(overrides);
        return values;
    }

    /** The batches on {@code topic}, read committed, until {@code count} are there or {@code timeout}. */
    public List<ConsumerRecord<String, MetricBatch>> batches(String topic, java.util.function.Predicate<List<ConsumerRecord<String, MetricBatch>>> done,
                                                             java.time.Duration timeout) {
        AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
        return TopicReader.of(stack.kafkaBootstrapServers(), topic, IsolationLevel.READ_COMMITTED, new StringDeserializer(),
                serdes.valueSerde(MetricBatch.class).deserializer()).readUntil(done::test, timeout, java.time.Duration.ofSeconds(1));
    }

    /** The dead letters whose source is {@code sourceTopic}. */
    public List<DeadLetter> deadLetters(String sourceTopic, int atLeast, java.time.Duration timeout) {
        AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
        return TopicReader.values(TopicReader.of(stack.kafkaBootstrapServers(), Topics.DEAD_LETTERS.name(), IsolationLevel.READ_COMMITTED,
                new StringDeserializer(), serdes.valueSerde(DeadLetter.class).deserializer())
                .readUntil(records -> records.stream().filter(r -> r.value().getSourceTopic().toString().equals(sourceTopic)).count() >= atLeast,
                        timeout, java.time.Duration.ofSeconds(1)))
                .stream().filter(letter -> letter.getSourceTopic().toString().equals(sourceTopic)).toList();
    }
}
