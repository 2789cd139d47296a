package dev.vigil.sinks;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertEvidence;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.AnomalyReason;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.Forecast;
import dev.vigil.avro.Rollup;
import dev.vigil.avro.RollupResolution;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.avro.Severity;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.TopicSpec;
import dev.vigil.schemas.Topics;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.stack.Eventually;
import dev.vigil.stack.TopicReader;

/** Test data for the sinks and the plumbing around it: fresh topics, producers, ClickHouse queries, waiting. */
final class SinkFixture implements AutoCloseable {

    /**
     * When the test data starts: yesterday, 00:00 UTC. Not a fixed date: the sink's retention (14 days for some tables)
     * drops partitions older than that, so data from a fixed day vanishes once the calendar passes it.
     */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);

    /** {@code time} as ClickHouse prints a {@code DateTime} on the test server (UTC). */
    static String clickHouseTime(Instant time) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(time);
    }

    final String bootstrapServers;
    final String registryUrl;
    final String clickHouseUrl;
    final String database;
    final AvroSerdes serdes;
    final Topics topics;
    final ClickHouse clickHouse;

    final String user;
    final String password;

    SinkFixture(String bootstrapServers, String registryUrl, String clickHouseUrl, String database) {
        this(bootstrapServers, registryUrl, clickHouseUrl, database, "default", "");
    }

    SinkFixture(String bootstrapServers, String registryUrl, String clickHouseUrl, String database, String user, String password) {
        this.user = user;
        this.password = password;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.clickHouseUrl = clickHouseUrl;
        this.database = database;
        this.serdes = new AvroSerdes(Map.of("schema.registry.url", registryUrl));
        this.topics = new Topics(serdes);
        this.clickHouse = new ClickHouse(clickHouseUrl, user, password, database, Duration.ofSeconds(30));
        clickHouse.execute("DROP DATABASE IF EXISTS " + database);
        recreateTopics();
    }

    /** Every test starts from empty topics: deletes Vigil's topics, waits until they are gone, creates them again. */
    private void recreateTopics() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Set<String> names = Set.copyOf(Topics.ALL.stream().map(TopicSpec::name).toList());
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> doomed = existing.stream().filter(names::contains).toList();
            if (!doomed.isEmpty()) {
                admin.deleteTopics(doomed).all().get(30, TimeUnit.SECONDS);
                await(Duration.ofSeconds(60), "topics deleted", () -> {
                    try {
                        return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().noneMatch(names::contains);
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            await(Duration.ofSeconds(60), "topics created", () -> {
                try {
                    new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(3), (short) 1);
                    return true;
                } catch (RuntimeException e) { // still marked for deletion
                    return false;
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot recreate the topics", e);
        }
    }

    SinkConfig config(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "schema.registry.url", registryUrl,
                "clickhouse.url", clickHouseUrl,
                "clickhouse.database", database,
                "clickhouse.user", user,
                "clickhouse.password", password,
                "group.id", "sink-" + database,
                "batch.interval", "200ms",
                "http.port", "0"));
        values.putAll(extra);
        return SinkConfig.from(ConfigSource.of(values));
    }

    static ScoreBatch scoreBatch(String host, int index, int scores) {
        List<AnomalyScore> items = new ArrayList<>();
        for (int i = 0; i < scores; i++) {
            items.add(AnomalyScore.newBuilder().setHostId(host).setMetric("system.cpu.utilization").setLabels(Map.of("cpu", Integer.toString(i)))
                    .setSeriesId(host + "-" + i).setTimestamp(T0.plusSeconds(10L * index)).setValue(index + i / 100.0)
                    .setExpected(index).setLower(index - 1).setUpper(index + 1).setScore(i == 0 ? 0.9 : 0.1).setLearning(index < 2)
                    .setReason(i == 0 ? AnomalyReason.STUCK : null).setReasonObserved(i == 0 ? 14.0 : null)
                    .setReasonUsualLow(i == 0 ? 0.0 : null).setReasonUsualHigh(i == 0 ? 3.0 : null).setReasonBasisDays(i == 0 ? 6.5 : null)
                    .build());
        }
        return new ScoreBatch(host, items);
    }

    static Rollup rollup(String host, int index) {
        return Rollup.newBuilder().setHostId(host).setMetric("system.memory.usage").setLabels(Map.of("state", "used")).setSeriesId(host + "-mem")
                .setResolution(index % 2 == 0 ? RollupResolution.MINUTE : RollupResolution.HOUR)
                .setWindowStart(T0.plusSeconds(60L * index)).setWindowEnd(T0.plusSeconds(60L * index + 60))
                .setCount(6).setMin(index).setMax(index + 5).setMean(index + 2.5).setLast(index + 4).setP95(index + 4.75).build();
    }

    static Forecast forecast(String host, int index) {
        return Forecast.newBuilder().setHostId(host).setMetric("system.memory.usage").setLabels(Map.of()).setSeriesId(host + "-mem")
                .setIssuedAt(T0.plusSeconds(60L * index)).setTargetTime(T0.plusSeconds(60L * index + 900))
                .setExpected(index).setLower(index - 2).setUpper(index + 2).build();
    }

    static Alert alert(String host, int index) {
        boolean resolved = index % 3 == 2;
        return Alert.newBuilder().setAlertId(host + "-alert-" + index / 3).setFingerprint(host + "-fp").setEvent(resolved ? AlertEvent.RESOLVED
                        : index % 3 == 0 ? AlertEvent.OPENED : AlertEvent.UPDATED)
                .setScope(AlertScope.SERIES).setSeverity(Severity.CRITICAL).setHostId(host).setHostLabels(Map.of("role", "web"))
                .setMetric("system.cpu.utilization").setLabels(Map.of("cpu", "0")).setStartedAt(T0).setEventTime(T0.plusSeconds(index))
                .setResolvedAt(resolved ? T0.plusSeconds(index) : null).setValue(0.97).setExpected(0.4).setLower(0.3).setUpper(0.5)
                .setPeakScore(0.93).setLastScore(0.9)
                .setReason(AnomalyReason.OUT_OF_RANGE).setReasonObserved(0.97).setReasonUsualLow(0.1).setReasonUsualHigh(0.6)
                .setReasonBasisDays(3.0).setReasonText("0.97 is above everything seen in 3 days (0.1 to 0.6)")
                .setEvidence(List.of(AlertEvidence.newBuilder().setSeriesId(host + "-0").setMetric("system.cpu.utilization")
                        .setLabels(Map.of("cpu", "0")).setValue(0.97).setExpected(0.4).setLower(0.3).setUpper(0.5).setScore(0.93)
                        .setSince(T0).setReason(AnomalyReason.OUT_OF_RANGE).build()))
                .setSummary("cpu on " + host + " is 0.97").setLinks(Map.of("host", "http://grafana/d/vigil-host?var-host=" + host)).build();
    }

    static AuditRecord audit(int sequence) {
        return AuditRecord.newBuilder().setSequence(sequence).setTimestamp(T0.plusSeconds(sequence)).setActor("remediation-1")
                .setDecisionId("d-" + sequence).setAlertId("a-" + sequence).setHostId("web-01").setRule("restart-nginx")
                .setAction("command").setParametersHash("ab".repeat(32)).setOutcome(AuditOutcome.DRY_RUN).setGuard(null)
                .setDetail("").setPreviousHash("0".repeat(64)).setHmac("cd".repeat(32)).build();
    }

    /** Sends values keyed by {@code key(value)} and waits until all are acknowledged. */
    <V extends SpecificRecord> void produce(String topic, org.apache.kafka.common.serialization.Serializer<V> serializer, List<V> values,
                                            java.util.function.Function<V, String> key) {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers,
                "enable.idempotence", true), new StringSerializer(), serializer)) {
            for (V value : values) {
                producer.send(new ProducerRecord<>(topic, key.apply(value), value));
            }
            producer.flush();
        }
    }

    void produceRaw(String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value));
            producer.flush();
        }
    }

    /** The first line of a query's result. */
    String one(String sql) {
        return clickHouse.lines(sql).get(0);
    }

    long count(String table) {
        return Long.parseLong(one("SELECT count() FROM " + database + "." + table));
    }

    List<DeadLetter> deadLetters(int atLeast) {
        return TopicReader.of(bootstrapServers, Topics.DEAD_LETTERS.name(), IsolationLevel.READ_COMMITTED, new StringDeserializer(),
                topics.deadLetters().valueSerde().deserializer()).valuesAtLeast(atLeast, Duration.ofSeconds(30));
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) {
        Eventually.await(timeout, what, condition);
    }

    @Override
    public void close() {
        clickHouse.close();
        serdes.close();
    }
}
