package dev.vigil.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertEvidence;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.AnomalyReason;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.AuditRecord;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.avro.Severity;
import dev.vigil.remediation.AuditTopic;
import dev.vigil.remediation.RemediationConfig;
import dev.vigil.remediation.RemediationService;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.security.PasswordHashes;
import dev.vigil.runtime.security.SigningKeys;
import dev.vigil.runtime.security.Tokens;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.sinks.SinkApp;
import dev.vigil.sinks.SinkConfig;
import dev.vigil.stack.Eventually;
import dev.vigil.stack.StackEndpoints;

/**
 * The console on the real local stack, with what it shows running in this JVM: the ClickHouse sink (alerts and samples into
 * a database of the fixture's own), the remediation consumer (a policy whose rule needs approval and runs an allow-listed
 * script of the fixture's) and the console, over one access file with an approver, a viewer, an operator, the console's
 * service principal and a viewer token. {@link #publishAlert} sends an alert the rule matches, with its reason and the
 * samples of its series. Shared by {@code ConsoleIT} and the browser test (through the test-jar).
 */
public final class ConsoleFixture implements AutoCloseable {

    /** One audit key for every fixture of a JVM: they share the stack's one audit trail. */
    public static final String AUDIT_KEY = "console-it-audit-key-console-it-audit-key-0123";
    public static final String APPROVER = "alice";
    public static final String VIEWER = "victor";
    public static final String OPERATOR = "olga";
    public static final String SERVICE = "console";
    /** Every test user's password. */
    /**
     * The console's service key pair: one per test JVM, as a console keeps its key. The stack's audit trail outlives a
     * fixture, so the approvals an earlier fixture's console signed must still verify on a later fixture's {@code /audit}.
     */
    private static final KeyPair SERVICE_KEYS = SigningKeys.generate();
    public static final String PASSWORD = "correct horse battery staple";
    /** The rule of the fixture's policy: it matches metrics {@code console.*} and needs approval. */
    public static final String RULE = "restart-console-test";
    public static final String METRIC = "console.cpu.busy";

    private final StackEndpoints stack;
    private final Path dir;
    private final Path ran;
    private final String viewerToken;
    private final RemediationConfig remediationConfig;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final AvroSerdes serdes;
    private final KafkaProducer<String, Alert> alerts;
    private final KafkaProducer<String, ScoreBatch> scores;
    private SinkApp sink;
    private RemediationService remediation;
    private ConsoleApp console;

    private ConsoleFixture(StackEndpoints stack, Path dir) throws IOException {
        this.stack = stack;
        this.dir = dir;
        this.ran = dir.resolve("ran.log");
        this.viewerToken = Tokens.generate("console-viewer");
        writeAccess();
        this.serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
        Topics topics = new Topics(serdes);
        Map<String, Object> producer = Map.of("bootstrap.servers", stack.kafkaBootstrapServers());
        this.alerts = new KafkaProducer<>(producer, new StringSerializer(), topics.alerts().valueSerde().serializer());
        this.scores = new KafkaProducer<>(producer, new StringSerializer(), topics.scores().valueSerde().serializer());
        Path script = dir.resolve("restart.sh");
        Files.writeString(script, "#!/bin/bash\necho \"restarted $1\" >> " + ran + "\n");
        if (!script.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + script + " executable");
        }
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                dry_run: false
                approval_ttl: 30m
                commands:
                  restart: {executable: %s, args: ["{{host}}"], timeout: 10s}
                rules:
                  - name: %s
                    match: {metric: "console\\\\..*"}
                    approval: true
                    target_cooldown: 0s
                    action: {executor: command, name: restart, parameters: {host: "{{host_id}}"}}
                """.formatted(script, RULE));
        this.remediationConfig = RemediationConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "policy.file", policy.toString(),
                "audit.key", AUDIT_KEY,
                "audit.checkpoints.file", dir.resolve("checkpoints").toString(),
                "actor", "remediation-console-it",
                "http.access.file", accessFile().toString(),
                "http.port", "0")));
    }

    /** Topics, access file, keys and policy in {@code dir}; then the sink, the remediation consumer and the console. */
    public static ConsoleFixture start(StackEndpoints stack, Path dir) throws IOException {
        ensureTopics(stack);
        ConsoleFixture fixture = new ConsoleFixture(stack, dir);
        try {
            fixture.startServices();
        } catch (IOException | RuntimeException e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    private void startServices() throws IOException {
        String database = "console_" + UUID.randomUUID().toString().substring(0, 8);
        sink = SinkApp.start(SinkConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "clickhouse.url", stack.clickHouseHttpUrl(),
                "clickhouse.database", database,
                "group.id", "console-it-sink-" + database,
                "tables", "vigil_samples,vigil_alerts",
                "batch.interval", "200ms",
                "http.port", "0"))));
        started.add(sink);
        remediation = RemediationService.start(remediationConfig);
        started.add(remediation);
        console = ConsoleApp.start(ConsoleConfig.from(ConfigSource.of(consoleSettings(database))));
        started.add(console);
    }

    private Map<String, String> consoleSettings(String database) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "clickhouse.url", stack.clickHouseHttpUrl(),
                "clickhouse.database", database,
                "audit.key", AUDIT_KEY,
                "audit.checkpoints.file", dir.resolve("checkpoints").toString(),
                "service.key.file", dir.resolve("keys").resolve(SERVICE + ".key").toString(),
                "http.access.file", accessFile().toString(),
                "http.port", "0"));
        settings.put("login.max.failures", "5");
        return settings;
    }

    private Path accessFile() {
        return dir.resolve("access.yaml");
    }

    /** The access file: three people with passwords, the console's service principal with its key, a viewer token. */
    private void writeAccess() throws IOException {
        SigningKeys.write(SERVICE_KEYS, dir.resolve("keys"), SERVICE);
        String hash = PasswordHashes.hash(PASSWORD.toCharArray());
        String yaml = "users:\n"
                + "  - {name: " + APPROVER + ", roles: [approver], password: \"" + hash + "\"}\n"
                + "  - {name: " + VIEWER + ", roles: [viewer], password: \"" + hash + "\"}\n"
                + "  - {name: " + OPERATOR + ", roles: [operator], password: \"" + hash + "\"}\n"
                + "  - {name: " + SERVICE + ", roles: [console], public_key: keys/" + SERVICE + ".pub}\n"
                + "tokens:\n  - {id: console-viewer, principal: prometheus, roles: [viewer], sha256: " + Tokens.sha256Hex(viewerToken) + "}\n";
        Files.deleteIfExists(accessFile());
        Files.createFile(accessFile(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(accessFile(), yaml, StandardCharsets.UTF_8);
    }

    private static void ensureTopics(StackEndpoints stack) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(2), (short) 1);
        }
    }

    /** Where a browser reaches the console, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return console.url();
    }

    /** A bearer token of the viewer role, for {@code /metrics}. */
    public String viewerToken() {
        return viewerToken;
    }

    /** The lines the rule's script wrote: {@code restarted HOST} each time it ran. */
    public List<String> ran() {
        try {
            return Files.exists(ran) ? Files.readAllLines(ran) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RemediationService remediation() {
        return remediation;
    }

    public ConsoleApp console() {
        return console;
    }

    /** The whole remediation audit trail. */
    public List<AuditRecord> trail() {
        return AuditTopic.readAll(remediationConfig.kafka(), remediationConfig.registry());
    }

    /**
     * An opened alert on {@code host} for {@link #METRIC}, which the fixture's rule matches, with {@code reason} as its reason
     * text; first the series' samples of the last 35 minutes (a minute apart, rising at the end), so the sparkline has a shape.
     * Returns the alert; its decision waits for approval once the remediation consumer has read it.
     */
    public Alert publishAlert(String host, String reason) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String seriesId = host + "/" + METRIC;
        List<AnomalyScore> series = new ArrayList<>();
        for (int minute = 35; minute >= 0; minute--) {
            double value = minute > 5 ? 0.2 + 0.01 * (minute % 3) : 0.97;
            series.add(AnomalyScore.newBuilder().setHostId(host).setMetric(METRIC).setLabels(Map.of()).setSeriesId(seriesId)
                    .setTimestamp(now.minus(Duration.ofMinutes(minute))).setValue(value).setExpected(0.2).setLower(0.1).setUpper(0.4)
                    .setScore(value > 0.4 ? 0.99 : 0).setAnomalous(value > 0.4).build());
        }
        scores.send(new ProducerRecord<>(Topics.SCORES.name(), host, new ScoreBatch(host, series)));
        scores.flush();
        Instant startedAt = now.minus(Duration.ofMinutes(5));
        Alert alert = Alert.newBuilder().setAlertId(seriesId + "-" + startedAt.toEpochMilli()).setFingerprint(seriesId).setEvent(AlertEvent.OPENED)
                .setScope(AlertScope.SERIES).setSeverity(Severity.CRITICAL).setHostId(host).setHostLabels(Map.of("environment", "test"))
                .setMetric(METRIC).setLabels(Map.of()).setStartedAt(startedAt).setEventTime(now).setResolvedAt(null)
                .setValue(0.97).setExpected(0.2).setLower(0.1).setUpper(0.4).setPeakScore(0.99).setLastScore(0.99)
                .setEvidence(List.of(AlertEvidence.newBuilder().setSeriesId(seriesId).setMetric(METRIC).setLabels(Map.of()).setValue(0.97)
                        .setExpected(0.2).setLower(0.1).setUpper(0.4).setScore(0.99).setSince(startedAt).setReason(AnomalyReason.OUT_OF_RANGE)
                        .setReasonText(reason).build()))
                .setReason(AnomalyReason.OUT_OF_RANGE).setReasonObserved(0.97).setReasonUsualLow(0.1).setReasonUsualHigh(0.4).setReasonBasisDays(1.0)
                .setReasonText(reason).setSummary(METRIC + " on " + host + " is unusually high").setLinks(Map.of()).build();
        alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), host, alert));
        alerts.flush();
        return alert;
    }

    /** The id of the decision on {@code host} that waits for approval, once the remediation consumer has made it. */
    public String awaitPendingDecision(String host) {
        await("a decision on " + host + " waiting for approval",
                () -> remediation.pending().values().stream().anyMatch(decision -> decision.target().equals(host)));
        return remediation.pending().entrySet().stream().filter(e -> e.getValue().target().equals(host)).findFirst().orElseThrow().getKey();
    }

    public static void await(String what, BooleanSupplier condition) {
        Eventually.await(Duration.ofSeconds(60), what, condition);
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // closing the rest matters more than this one's failure
            }
        }
        alerts.close(Duration.ofSeconds(5));
        scores.close(Duration.ofSeconds(5));
        serdes.close();
    }
}
