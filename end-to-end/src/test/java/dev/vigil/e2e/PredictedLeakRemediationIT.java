package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertKind;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.remediation.AuditTopic;
import dev.vigil.remediation.SignedWebhookReceiver;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.FileTrees;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TopicReader;

/**
 * The loop closed before anything is full, on the real stack with each service in its own JVM. Two hosts have a spool
 * file system (a real 16 MiB tmpfs the test mounts: the test runs as root) that has been filling for five hours. The
 * streams application predicts both will be full within {@code alerts.predict.horizon} and raises PREDICTED alerts; the
 * remediation consumer acts on them by rule:
 * <ul>
 *   <li>on the storage host, the action library's {@code clean-files} deletes the spool's files older than 30 minutes:
 *       the series falls back, the PREDICTED alert resolves, and the trail says VERIFIED;</li>
 *   <li>on the cache host, an allow-listed command that does not help: the spool keeps filling, the deadline passes,
 *       and the trail says INEFFECTIVE, the undo runs, the on-call webhook is paged (ESCALATED).</li>
 * </ul>
 * History before the test is synthetic; from then on each host's series is read from its real file system, as the
 * agent's filesystem sensor reads it, so only what the action really deleted can make the series recover.
 */
@ExtendWith(LocalStackExtension.class)
class PredictedLeakRemediationIT {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final long FILE_SYSTEM_BYTES = 16L << 20;
    /** The spool fills by this share of its file system an hour, from half full: full 6 h 15 min after the leak starts. */
    private static final double LEAK_PER_HOUR = 0.08;
    private static final Duration LEAK = Duration.ofHours(5);
    /** The leak's files already written when the test starts, each with the time it was written. */
    private static final int LEAK_FILES = 40;
    /** Time to exhaustion that opens an alert: 1 h 15 min are left when the history ends, 5 h 40 min once cleaned down to 55 %. */
    private static final String HORIZON = "2h";
    private static final String WEBHOOK_SECRET = "leak-it-webhook-secret-leak-it-webhook-secret-0123";
    private static final Logger log = LoggerFactory.getLogger(PredictedLeakRemediationIT.class);

    /** A host of the test: its id, the label its rule matches, and where its spool file system is mounted. */
    private record Host(String id, String team, Path mount) {
        Path spool() {
            return mount.resolve("spool");
        }
    }

    @Test
    void shouldVerifyTheCleanupThatStopsALeakAndUndoAndEscalateTheActionThatDoesNot(StackEndpoints stack) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(3), (short) 1);
        }
        Path work = Path.of("target", "it-predicted-leak-remediation").toAbsolutePath();
        FileTrees.delete(work);
        Host storage = new Host("spool-storage-01", "storage", Files.createDirectories(work.resolve("storage-fs")));
        Host cache = new Host("spool-cache-01", "cache", Files.createDirectories(work.resolve("cache-fs")));
        mount(storage.mount());
        mount(cache.mount());
        SharedStack.empty(stack, SharedStack.PIPELINE_TOPICS);
        try (SignedWebhookReceiver pager = new SignedWebhookReceiver(WEBHOOK_SECRET)) {
            closeTheLoop(stack, work, List.of(storage, cache), pager);
        } finally {
            SharedStack.empty(stack, SharedStack.PIPELINE_TOPICS);
            unmount(storage.mount());
            unmount(cache.mount());
        }
    }

    private static void closeTheLoop(StackEndpoints stack, Path work, List<Host> hosts, SignedWebhookReceiver pager) throws Exception {
        Host storage = hosts.get(0);
        Host cache = hosts.get(1);
        Path ran = work.resolve("ran.log");
        Path flush = script(work.resolve("flush-cache.sh"), "echo \"flush $1\" >> " + ran);
        Path restore = script(work.resolve("restore-cache.sh"), "echo \"restore $1\" >> " + ran);
        Path policy = Files.writeString(work.resolve("policy.yaml"), """
                dry_run: false
                commands:
                  flush-cache: {executable: %s, args: ["{{host}}"], timeout: 10s}
                  restore-cache: {executable: %s, args: ["{{host}}"], timeout: 10s}
                webhooks:
                  oncall: {url: "%s"}
                library:
                  clean-spool: {kind: clean-files, directories: [%s], older_than: 30m, target_use: 55%%}
                rules:
                  - name: clean-leaking-spool
                    match: {kind: PREDICTED, host_labels: {team: storage}}
                    action: {executor: library, name: clean-spool, parameters: {directory: %s}}
                    verify_within: 30m
                  - name: flush-leaking-cache
                    match: {kind: PREDICTED, host_labels: {team: cache}}
                    action: {executor: command, name: flush-cache, parameters: {host: "{{host_id}}"}}
                    verify_within: 20s
                    undo: {executor: command, name: restore-cache, parameters: {host: "{{host_id}}"}}
                    escalate: oncall
                """.formatted(flush, restore, pager.url(), storage.spool(), storage.spool()));

        // The history ends an hour before now: the live part that follows may run ahead of the history's pace, but never
        // ahead of the clock (the streams application refuses samples from the future).
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
        Instant leakStart = end.minus(LEAK);
        Instant start = leakStart.minus(Duration.ofHours(57));
        Instant verdictsBy = Instant.now().plus(Duration.ofMinutes(4));

        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             ServiceProcess streams = ServiceProcess.streams(work, stack, Map.of("application.id", "vigil-leak-remediation-it",
                     "alerts.predict.horizon", HORIZON)).start();
             ServiceProcess remediation = ServiceProcess.remediation(work, stack, Map.of("policy.file", policy.toString(),
                     "audit.key", SharedStack.AUDIT_KEY, "webhook.secret", WEBHOOK_SECRET, "group.id", "vigil-leak-remediation-it-actions")).start();
             KafkaProducer<String, MetricBatch> producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                     stack.kafkaBootstrapServers(), "enable.idempotence", true, "linger.ms", 20), new StringSerializer(),
                     new Topics(serdes).metrics().valueSerde().serializer())) {
            long[] sequence = new long[hosts.size()];
            for (int h = 0; h < hosts.size(); h++) {
                Host host = hosts.get(h);
                double base = fillTheSpool(host, leakStart);
                double now = use(host);
                SplittableRandom random = new SplittableRandom(h + 11);
                for (Instant time = start; time.isBefore(end); time = time.plus(MINUTE)) {
                    // Half full, then the leak, ending where the file system really is now: the live part that follows
                    // carries on from there, so that nothing but the leak and the action changes the series' course.
                    double leaked = time.isBefore(leakStart) ? 0
                            : (now - base) * Duration.between(leakStart, time).toMinutes() / (double) LEAK.toMinutes();
                    double value = base + 0.0005 * random.nextGaussian() + leaked;
                    producer.send(new ProducerRecord<>(Topics.METRICS.name(), host.id(), batch(host, time, ++sequence[h], value)));
                }
            }
            producer.flush();
            TopicReader<String, Alert> alerts = TopicReader.of(stack.kafkaBootstrapServers(), Topics.ALERTS.name(),
                    IsolationLevel.READ_COMMITTED, new StringDeserializer(), new Topics(serdes).alerts().valueSerde().deserializer());
            Predicate<List<ConsumerRecord<String, Alert>>> bothWarned = records -> hosts.stream().allMatch(host -> records.stream()
                    .map(ConsumerRecord::value).anyMatch(alert -> alert.getHostId().equals(host.id()) && alert.getKind() == AlertKind.PREDICTED
                            && alert.getEvent() == AlertEvent.OPENED));
            List<ConsumerRecord<String, Alert>> warnings = alerts.readUntil(bothWarned, Duration.ofMinutes(3), Duration.ZERO);
            assertThat(bothWarned.test(warnings)).as("a PREDICTED alert for each host; streams log: %s", streams.currentOutput()).isTrue();

            // From the end of the history on, a minute of the hosts' time every 1.5 s: the leak goes on writing into both
            // spools, and each minute's sample is what the file system says.
            long chunk = Math.round(FILE_SYSTEM_BYTES * LEAK_PER_HOUR / 60);
            Instant time = end;
            int minute = 0;
            while (!settled(stack, hosts) && Instant.now().isBefore(verdictsBy)) {
                for (int h = 0; h < hosts.size(); h++) {
                    Host host = hosts.get(h);
                    write(host.spool().resolve("live-" + minute), chunk);
                    producer.send(new ProducerRecord<>(Topics.METRICS.name(), host.id(), batch(host, time, ++sequence[h], use(host))));
                }
                producer.flush();
                minute++;
                time = time.plus(MINUTE);
                Thread.sleep(time.isBefore(Instant.now().minusSeconds(30)) ? 1_500 : 60_000);
            }

            List<AuditRecord> cleaned = trail(stack, storage);
            List<AuditRecord> flushed = trail(stack, cache);
            for (AuditRecord record : concat(cleaned, flushed)) {
                log.info("{} {} {}: {}", record.getTimestamp(), record.getHostId(), record.getOutcome(), record.getDetail());
            }
            assertThat(cleaned).as("storage host's trail; remediation log: %s%nstreams log: %s", remediation.currentOutput(),
                    streams.currentOutput()).extracting(AuditRecord::getOutcome)
                    .containsExactly(AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.VERIFIED);
            assertThat(cleaned.get(0).getRule()).isEqualTo("clean-leaking-spool");
            assertThat(cleaned.get(1).getDetail()).containsPattern("deleted \\d+ of " + LEAK_FILES + " files");
            assertThat(cleaned.get(2).getDetail()).startsWith("the alert resolved ").contains("(verify_within 30m)");
            try (var files = Files.list(storage.spool())) {
                List<String> leakLeft = files.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("leak-")).sorted().toList();
                assertThat(leakLeft).as("the oldest files deleted first, down to 55 percent used").hasSizeLessThan(LEAK_FILES / 4)
                        .isEqualTo(IntStream.range(LEAK_FILES - leakLeft.size(), LEAK_FILES).mapToObj(PredictedLeakRemediationIT::leakFile).toList());
            }

            assertThat(flushed).as("cache host's trail; remediation log: %s", remediation.currentOutput()).extracting(AuditRecord::getOutcome)
                    .containsExactly(AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.INEFFECTIVE, AuditOutcome.UNDONE,
                            AuditOutcome.SUCCEEDED, AuditOutcome.ESCALATED);
            assertThat(flushed.get(2).getDetail()).startsWith("the alert did not resolve (verify_within 20s)");
            assertThat(flushed.get(3).getAction()).isEqualTo("command:restore-cache");
            assertThat(Files.readAllLines(ran)).containsExactly("flush " + cache.id(), "restore " + cache.id());
            assertThat(use(cache)).as("the cache host's spool still filling").isGreaterThan(0.9);
            assertThat(pager.pages()).singleElement().satisfies(page -> {
                assertThat(page.path("target").asText()).isEqualTo(cache.id());
                assertThat(page.path("parameters").path("verdict").asText()).isEqualTo("INEFFECTIVE");
            });
            List<Alert> predicted = TopicReader.values(alerts.readToEnd(Duration.ofSeconds(30))).stream()
                    .filter(alert -> alert.getHostId().equals(storage.id()) && alert.getKind() == AlertKind.PREDICTED).toList();
            assertThat(predicted).as("the storage host's PREDICTED alert, opened and resolved").extracting(Alert::getEvent)
                    .startsWith(AlertEvent.OPENED).endsWith(AlertEvent.RESOLVED);
            assertThat(predicted).extracting(Alert::getAlertId).containsOnly(cleaned.get(0).getAlertId());
        }
    }

    /**
     * Writes the spool as the leak left it: a base file outside the spool that fills half the file system, and
     * {@value #LEAK_FILES} files in the spool, dated over the leak, that fill a further 0.4.
     *
     * @return the share of the file system used before the leak
     */
    private static double fillTheSpool(Host host, Instant leakStart) throws IOException {
        write(host.mount().resolve("base.dat"), FILE_SYSTEM_BYTES / 2);
        double base = use(host);
        Files.createDirectories(host.spool());
        long each = Math.round(FILE_SYSTEM_BYTES * LEAK_PER_HOUR * LEAK.toMinutes() / 60.0 / LEAK_FILES);
        for (int i = 0; i < LEAK_FILES; i++) {
            Path file = write(host.spool().resolve(leakFile(i)), each);
            Files.setLastModifiedTime(file, FileTime.from(leakStart.plus(LEAK.multipliedBy(i + 1).dividedBy(LEAK_FILES))));
        }
        return base;
    }

    private static List<AuditRecord> concat(List<AuditRecord> first, List<AuditRecord> second) {
        List<AuditRecord> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    private static String leakFile(int i) {
        return String.format("leak-%02d", i);
    }

    private static Path write(Path file, long bytes) throws IOException {
        byte[] data = new byte[(int) bytes];
        new SplittableRandom(bytes).nextBytes(data); // not zeros: nothing below may make them smaller
        return Files.write(file, data);
    }

    /** The share of the host's file system used, as the agent's filesystem sensor reports it. */
    private static double use(Host host) {
        try {
            FileStore store = Files.getFileStore(host.mount());
            return (store.getTotalSpace() - store.getUnallocatedSpace()) / (double) store.getTotalSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MetricBatch batch(Host host, Instant time, long sequence, double value) {
        Sample spool = Sample.newBuilder().setName("system.filesystem.utilization").setLabels(Map.of("mountpoint", "/var/spool"))
                .setUnit("1").setKind(MetricKind.GAUGE).setValue(value).setObservedAt(null).build();
        return MetricBatch.newBuilder().setHostId(host.id()).setHostLabels(Map.of("team", host.team())).setCollectedAt(time)
                .setSequence(sequence).setSamples(List.of(spool)).build();
    }

    /** Whether both hosts' trails have their last word: VERIFIED on one, ESCALATED on the other. */
    private static boolean settled(StackEndpoints stack, List<Host> hosts) {
        return trail(stack, hosts.get(0)).stream().anyMatch(r -> r.getOutcome() == AuditOutcome.VERIFIED)
                && trail(stack, hosts.get(1)).stream().anyMatch(r -> r.getOutcome() == AuditOutcome.ESCALATED);
    }

    private static List<AuditRecord> trail(StackEndpoints stack, Host host) {
        return AuditTopic.readAll(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                Map.of("schema.registry.url", stack.schemaRegistryUrl())).stream().filter(r -> r.getHostId().equals(host.id())).toList();
    }

    private static Path script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file;
    }

    private static void mount(Path mountPoint) throws IOException, InterruptedException {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + FILE_SYSTEM_BYTES + ",mode=0755", "vigil-leak-it",
                mountPoint.toString()).redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mount.waitFor()).as("mounting a tmpfs for the test (needs root): " + output).isZero();
    }

    private static void unmount(Path mountPoint) throws IOException, InterruptedException {
        new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start().waitFor();
    }
}
