package dev.vigil.remediation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.Alert;
import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditRecord;
import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.HostRetirement;
import dev.vigil.avro.RemediationDecision;
import dev.vigil.avro.Silence;
import dev.vigil.avro.Verdict;
import dev.vigil.remediation.approvals.ApprovalGate;
import dev.vigil.remediation.audit.AuditChain;
import dev.vigil.remediation.audit.AuditCheckpoint;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.remediation.audit.ChainedAuditSink;
import dev.vigil.remediation.executors.ActionRunner;
import dev.vigil.remediation.executors.ExecutorResources;
import dev.vigil.remediation.executors.ExecutorTypes;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.PolicyParser;
import dev.vigil.remediation.verification.AlertHistory;
import dev.vigil.remediation.verification.EvidenceSource;
import dev.vigil.remediation.verification.FollowUps;
import dev.vigil.remediation.verification.OwedFollowUp;
import dev.vigil.remediation.verification.PendingVerification;
import dev.vigil.remediation.verification.ScoreWatch;
import dev.vigil.remediation.verification.VerificationResult;
import dev.vigil.remediation.verification.Verifier;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.Services;
import dev.vigil.runtime.http.HealthMetricsServer;
import dev.vigil.runtime.security.AccessControl;
import dev.vigil.runtime.security.AccessFile;
import dev.vigil.runtime.security.AccessFileException;
import dev.vigil.runtime.security.Untrusted;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.registry.SchemaRegistryException;
import dev.vigil.schemas.deadletter.DeadLetterStage;
import dev.vigil.schemas.deadletter.DeadLetters;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.schemas.serde.DecodeFailure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The remediation consumer: reads alerts and approvals, decides with the policy, acts, watches whether the action
 * helped (alert events, and the scores of watched hosts), and keeps the audit trail; it audits the silences and host
 * retirements people make too ({@link AlertingChanges}). On start it reads the whole trail back, verifies it (and
 * refuses to start on a broken one), and replays it into the guards and the watches: the trail is its only state. It
 * is the trail's single writer: its audit
 * producer is transactional, so a second instance started by mistake fences the first out instead of forking
 * the chain.
 */
public final class RemediationService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RemediationService.class);
    static final String AUDIT_CHAIN = "vigil";
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long to wait before reading a record again whose writer schema the registry could not give. */
    private static final Duration REGISTRY_BACKOFF = Duration.ofSeconds(2);
    private static final String REGISTRY_PROBLEM = "schema registry unavailable: ";
    /** Any audit record: serialized (never sent) to have the registry take the audit schema before the chain counts one. */
    private static final AuditRecord AUDIT_SCHEMA_PROBE = AuditRecord.newBuilder().setSequence(0).setTimestamp(Instant.EPOCH).setActor("")
            .setDecisionId("").setAlertId("").setHostId("").setRule("").setAction("").setParametersHash("")
            .setOutcome(dev.vigil.avro.AuditOutcome.POLICY_LOADED).setGuard(null).setDetail("").setPreviousHash("").setHmac("").build();

    private final RemediationConfig config;
    private final AvroSerdes serdes;
    private final Topics topics;
    /** Appends the POLICY_LOADED record; run once, by {@link #auditPolicyLoad}. */
    private final Runnable policyLoad;
    private boolean policyLoadAudited;
    /** Whether this registry outage was logged already (once per outage). */
    private boolean outageLogged;
    private final KafkaConsumer<String, SpecificRecord> consumer;
    private final KafkaProducer<String, AuditRecord> auditProducer;
    private final KafkaProducer<String, RemediationDecision> decisionProducer;
    private final KafkaProducer<String, DeadLetter> deadLetters;
    private final ActionRunner actions;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter deadLettered;
    private final Counter registryUnavailable;
    private final HealthMetricsServer http;
    private final AuditChain chain;
    private final Remediator remediator;
    private final Verifier verifier;
    private final FollowUps followUps;
    private final List<OwedFollowUp> owedAtStart;
    private final ScoreWatch scoreWatch;
    private final AlertingChanges changes;
    private final Set<String> hostsSeen = new HashSet<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<String> problem = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long sinceCheckpoint;

    private RemediationService(RemediationConfig config, Policy policy, String policySha256, Optional<AccessControl> access,
                               List<AuditRecord> trail, AvroSerdes serdes, KafkaProducer<String, AuditRecord> auditProducer) {
        this.config = config;
        this.serdes = serdes;
        this.topics = new Topics(serdes);
        this.auditProducer = auditProducer;
        GuardState state = new GuardState();
        this.verifier = new Verifier();
        ApprovalGate gate = new ApprovalGate(() -> access.map(AccessControl::current), config.unsignedApprovalsAllowed());
        trail.forEach(record -> {
            AuditReplay.apply(record, state);
            verifier.replay(record, policy);
            gate.replay(record);
        });
        this.owedAtStart = verifier.takeOwed();
        AuditRecord head = trail.isEmpty() ? null : trail.get(trail.size() - 1);
        this.chain = new AuditChain(config.auditKey(), head == null ? 0 : head.getSequence(), head == null ? AuditChain.GENESIS : AuditChain.hash(head));

        Map<String, Object> decisions = new HashMap<>(config.kafka());
        decisions.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.decisionProducer = new KafkaProducer<>(decisions, new StringSerializer(), topics.remediationDecisions().valueSerde().serializer());
        this.deadLetters = new KafkaProducer<>(decisions, new StringSerializer(), topics.deadLetters().valueSerde().serializer());

        Map<String, Object> consumerConfig = new HashMap<>(config.kafka());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new TopicDeserializer(serdes));

        this.actions = ExecutorTypes.STANDARD.start(policy, new ExecutorResources(config.kafka(), topics, config.webhookSecret(),
                config.hostAgentTimeout()));
        ChainedAuditSink audit = new ChainedAuditSink(chain, this::writeAudit);
        this.remediator = new Remediator(policy, state, audit, actions, config.actor(),
                () -> config.fleetSize() > 0 ? config.fleetSize() : hostsSeen.size(), verifier, gate);
        // Who loaded which policy goes into the trail before anything is decided under it: at the start of the loop, once
        // the registry takes the audit schema (start-up must not depend on the registry, see auditPolicyLoad).
        this.policyLoad = () -> audit.append("policy." + policySha256.substring(0, 20), "", "", "", "", Map.of(),
                dev.vigil.avro.AuditOutcome.POLICY_LOADED, null, "policy " + config.policyFile() + " sha256 " + policySha256 + ": "
                        + policy.rules().size() + " rules, " + (policy.dryRun() ? "dry run" : "executing") + "; loaded by " + config.actor(),
                config.actor(), Instant.now());
        this.followUps = new FollowUps(audit, actions, state, config.actor(), Instant::now);
        this.changes = new AlertingChanges(audit, state);
        // Undos still to run after a restart take their parameters from the alert, which the trail does not keep.
        List<PendingVerification> watched = new ArrayList<>(verifier.pending());
        owedAtStart.forEach(owed -> watched.add(owed.verification()));
        AlertHistory.recover(config.kafka(), serdes, watched);
        this.scoreWatch = new ScoreWatch(config.kafka(), serdes);
        this.deadLettered = Counter.builder("vigil.remediation.dead.letters").description("records sent to the dead-letter topic")
                .register(metrics);
        this.registryUnavailable = Counter.builder("vigil.remediation.registry.unavailable")
                .description("records read again later because the schema registry could not give their writer schema").register(metrics);
        Gauge.builder("vigil.remediation.pending.approvals", remediator, r -> r.pending().size())
                .description("decisions waiting for vigil approve / deny").register(metrics);
        Gauge.builder("vigil.remediation.audit.sequence", chain, AuditChain::lastSequence)
                .description("sequence number of the newest audit record").register(metrics);
        Gauge.builder("vigil.remediation.verifications.pending", verifier, Verifier::pendingCount)
                .description("executed actions being watched for whether they helped").register(metrics);
        FunctionCounter.builder("vigil.remediation.scores.unreadable", scoreWatch, ScoreWatch::unreadable)
                .description("score records a metric verification skipped because they could not be decoded").register(metrics);
        try {
            this.http = new HealthMetricsServer(config.httpHost(), config.httpPort(), config.httpSecurity(), metrics, problem::get,
                    "remediation");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP on " + config.httpHost() + ":" + config.httpPort(), e);
        }
    }

    /**
     * Loads the policy, reads and verifies the audit trail, and starts consuming.
     *
     * @throws dev.vigil.remediation.policy.PolicyException naming the line of a bad policy
     * @throws IllegalStateException                        when the audit trail is broken, naming the first bad record
     */
    public static RemediationService start(RemediationConfig config) throws IOException {
        Policy policy = PolicyParser.parse(config.policyFile());
        String policySha256 = AuditChain.sha256Hex(Files.readAllBytes(config.policyFile()));
        Optional<AccessControl> access = approvalAccess(config);
        AvroSerdes serdes = new AvroSerdes(config.registry());
        Map<String, Object> audit = new HashMap<>(config.kafka());
        audit.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vigil-remediation-audit-" + AUDIT_CHAIN);
        audit.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaProducer<String, AuditRecord> auditProducer = new KafkaProducer<>(audit, new StringSerializer(),
                new Topics(serdes).remediationAudit().valueSerde().serializer());
        List<AuditRecord> trail;
        try {
            // Fence any earlier writer of the chain first, then read the trail: nothing can be appended in between.
            auditProducer.initTransactions();
            trail = AuditTopic.readAll(config.kafka(), config.registry());
            AuditVerifier.Result verified = new AuditVerifier(config.auditKey()).verify(trail, AuditTopic.checkpoints(config.checkpointsFile()));
            if (verified instanceof AuditVerifier.Result.Broken broken) {
                throw new IllegalStateException("the audit trail is broken at record " + broken.sequence() + ": " + broken.problem()
                        + "; refusing to act on it (see vigil audit verify)");
            }
        } catch (RuntimeException | IOException e) {
            auditProducer.close(Duration.ofSeconds(5));
            serdes.close();
            throw e;
        }
        log.info("Audit trail verified: {} records; policy {} with {} rules, {}", trail.size(), config.policyFile(),
                policy.rules().size(), policy.dryRun() ? "DRY RUN" : "executing");
        try {
            publishPolicySilences(policy, config, serdes);
        } catch (RuntimeException e) {
            auditProducer.close(Duration.ofSeconds(5));
            serdes.close();
            throw e;
        }
        RemediationService service = new RemediationService(config, policy, policySha256, access, trail, serdes, auditProducer);
        Thread thread = new Thread(service::run, "vigil-remediation");
        thread.start();
        return service;
    }

    /**
     * The access file whose users and public keys check signed approvals: the same file as the HTTP endpoint's
     * ({@code http.access.file}), so one file says who may approve, however the approval arrives. Without one, every
     * approval is refused unless {@code approvals.unsigned.allowed} (development) lets unsigned ones through.
     */
    private static Optional<AccessControl> approvalAccess(RemediationConfig config) {
        if (config.unsignedApprovalsAllowed()) {
            log.warn("approvals.unsigned.allowed=true: UNSIGNED APPROVALS ARE ACCEPTED. Anyone who can write to {} can approve as "
                    + "anyone. For development only; never in production.", Topics.REMEDIATION_APPROVALS.name());
        }
        if (config.httpSecurity().accessFile().isEmpty()) {
            if (!config.unsignedApprovalsAllowed()) {
                log.warn("No access file (http.access.file): signed approvals cannot be checked, so every approval will be refused "
                        + "and audited; set http.access.file to a file whose approvers have a public_key");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(AccessControl.load(config.httpSecurity().accessFile().get(), AccessControl.DEFAULT_POLL, java.time.Clock.systemUTC()));
        } catch (AccessFileException e) {
            throw new org.apache.kafka.common.config.ConfigException(dev.vigil.runtime.config.CommonKeys.HTTP_ACCESS_FILE.name(),
                    e.file().toString(), e.getMessage());
        }
    }

    /** Makes {@code vigil.silences} hold the policy's silences ({@link PolicySilences}); the loop then audits what it wrote. */
    private static void publishPolicySilences(Policy policy, RemediationConfig config, AvroSerdes serdes) {
        Topics topics = new Topics(serdes);
        Map<String, Silence> onTopic = new LinkedHashMap<>();
        // A deserializer of its own: the reading consumer closes it.
        try (AvroSerdes reading = new AvroSerdes(config.registry())) {
            for (ConsumerRecord<String, Silence> record : TopicContents.readAll(config.kafka(), Topics.SILENCES.name(),
                    new Topics(reading).silences().valueSerde().deserializer())) {
                if (record.value() != null) {
                    onTopic.put(record.key(), record.value());
                }
            }
        }
        List<Silence> changes = PolicySilences.changes(policy.silences(), onTopic.values(), Instant.now(), config.actor());
        if (changes.isEmpty()) {
            return;
        }
        Map<String, Object> producerConfig = new HashMap<>(config.kafka());
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Silence> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                topics.silences().valueSerde().serializer())) {
            for (Silence silence : changes) {
                producer.send(new ProducerRecord<>(Topics.SILENCES.name(), silence.getSilenceId(), silence)).get(30, TimeUnit.SECONDS);
                log.info("Policy silence {} {}", silence.getSilenceId(), silence.getExpiredBy() == null
                        ? "published, until " + silence.getEndsAt() : "ended: the policy no longer declares it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the policy's silences", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot publish the policy's silences to " + Topics.SILENCES.name() + ": " + e, e);
        }
    }

    /** Runs the service until the JVM is asked to stop: {@code args[0]} names the properties file. */
    public static void main(String[] args) throws Exception {
        ConfigSource source = ConfigSource.load(args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty(), System.getenv());
        Services.runUntilJvmStops("remediation", start(RemediationConfig.from(source)));
    }

    private void run() {
        try {
            if (!owedAtStart.isEmpty()) {
                while (running.get() && !policyLoadAudited) {
                    policyLoadAudited = auditPolicyLoad(); // the steps are audited under this policy: its load comes first
                }
                log.info("Carrying out {} undo or escalation steps the audit trail says are still owed", owedAtStart.size());
                owedAtStart.forEach(followUps::carryOut);
            }
            consumer.subscribe(List.of(Topics.ALERTS.name(), Topics.REMEDIATION_APPROVALS.name(), Topics.SILENCES.name(),
                    Topics.RETIRED_HOSTS.name()));
            while (running.get()) {
                try {
                    if (!policyLoadAudited) {
                        policyLoadAudited = auditPolicyLoad();
                    }
                    ConsumerRecords<String, SpecificRecord> records = consumer.poll(POLL);
                    if (!policyLoadAudited && !records.isEmpty()) {
                        // Read as the registry came back: nothing is decided before the policy load is in the trail.
                        records.partitions().forEach(partition -> consumer.seek(partition, records.records(partition).get(0).offset()));
                        continue;
                    }
                    for (ConsumerRecord<String, SpecificRecord> record : records) {
                        handle(record.key(), record.value(), Instant.ofEpochMilli(record.timestamp()));
                    }
                    if (!records.isEmpty()) {
                        registryAnswers();
                    }
                } catch (RecordDeserializationException e) {
                    DecodeFailure failure = DecodeFailure.of(e, TopicDeserializer.recordType(e.topicPartition().topic()));
                    if (failure instanceof DecodeFailure.BadRecord bad) {
                        deadLetter(e, bad);
                        consumer.seek(e.topicPartition(), e.offset() + 1);
                    } else if (failure instanceof DecodeFailure.RegistryUnavailable outage) {
                        readAgainLater(e, outage);
                    }
                }
                if (policyLoadAudited) {
                    // Verdicts and lapses are audit records too: none before the policy load, none while the registry that
                    // would serialize them does not answer (the load waits for it); they fall due again on the next pass.
                    verify(Instant.now());
                    remediator.expire(Instant.now());
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            // close()
        } catch (RuntimeException e) {
            problem.set("the remediation loop stopped: " + e);
            log.error("The remediation loop stopped", e);
        } finally {
            writeCheckpoint();
            consumer.close();
            scoreWatch.close();
            stopped.countDown();
        }
    }

    /** @param at when the record was produced: what a verification judges by */
    private void handle(String key, SpecificRecord value, Instant at) {
        Instant now = Instant.now();
        if (value instanceof Alert alert) {
            hostsSeen.add(alert.getHostId());
            settle(verifier.onAlert(alert, at));
            remediator.onAlert(alert, now).ifPresent(decision -> publish(decision, alert, now));
        } else if (value instanceof ApprovalDecision approval) {
            if (remediator.onApproval(key, approval, now) instanceof ApprovalGate.Verdict.Refused refused) {
                Counter.builder("vigil.remediation.approvals.refused").description("approvals refused and audited, by reason")
                        .tag("reason", refused.reason().label()).register(metrics).increment();
                log.warn("Approval of decision {} refused ({}): {}; audited as APPROVAL_REFUSED", Untrusted.quote(approval.getDecisionId()),
                        refused.reason().label(), Untrusted.quote(refused.detail()));
            }
        } else if (value instanceof Silence silence) {
            if (changes.onSilence(silence, now)) {
                log.info("Silence {} {} by {}: audited", Untrusted.quote(silence.getSilenceId()), silence.getExpiredBy() == null ? "added" : "ended early",
                        Untrusted.quote(silence.getExpiredBy() == null ? silence.getAuthor() : silence.getExpiredBy()));
            }
        } else if (value instanceof HostRetirement retirement) {
            if (changes.onRetirement(retirement, now)) {
                log.info("Host {} {} by {}: audited", Untrusted.quote(retirement.getHostId()), retirement.getRetired() ? "retired" : "reinstated",
                        Untrusted.quote(retirement.getAuthor()));
            }
        }
    }

    /**
     * Offers the watched hosts' new scores to the verifications, then judges those past their deadline whose evidence was
     * read up to now.
     */
    private void verify(Instant now) {
        try {
            for (ScoreWatch.TimedScore score : scoreWatch.poll(verifier.scoreHosts())) {
                settle(verifier.onScore(score.score(), score.at()));
            }
            if (verifier.anyDue(now)) {
                settle(verifier.due(now, source -> source == EvidenceSource.SCORES ? scoreWatch.caughtUp() : alertsReadToTheEnd()));
            }
        } catch (TimeoutException e) {
            // The broker did not answer a look-up in time: the watches keep, and the next round asks again.
            log.warn("Verification waits for the broker: {}", e.getMessage());
        }
    }

    private void settle(List<VerificationResult> results) {
        for (VerificationResult result : results) {
            Counter.builder("vigil.remediation.verifications").description("verdicts on executed actions: VERIFIED or INEFFECTIVE")
                    .tag("result", result.kind().name()).register(metrics).increment();
            followUps.settle(result);
        }
    }

    /** Whether this consumer holds the alert partitions and has read each to its end (an alert produced in time is not still unread). */
    private boolean alertsReadToTheEnd() {
        List<TopicPartition> alerts = consumer.assignment().stream().filter(p -> p.topic().equals(Topics.ALERTS.name())).toList();
        if (alerts.isEmpty()) {
            return false;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(alerts, Duration.ofSeconds(30));
        return alerts.stream().allMatch(partition -> consumer.position(partition, Duration.ofSeconds(30)) >= end.get(partition));
    }

    /**
     * The registry, not the record, is at fault: an alert dropped now would never be decided on. Puts the record
     * back (the consumer's position goes back to it), says so on /healthz, and waits before it is read again.
     */
    private void readAgainLater(RecordDeserializationException e, DecodeFailure.RegistryUnavailable outage) {
        registryUnavailable.increment();
        problem.set(REGISTRY_PROBLEM + outage.cause().getMessage());
        if (!outageLogged) {
            outageLogged = true;
            log.warn("Cannot fetch the writer schema of {}@{} ({}); reading it again every {}", e.topicPartition(), e.offset(),
                    outage.cause().getMessage(), REGISTRY_BACKOFF);
        }
        consumer.seek(e.topicPartition(), e.offset());
        long until = System.nanoTime() + REGISTRY_BACKOFF.toNanos();
        while (running.get() && System.nanoTime() < until) {
            Services.backOff(POLL); // the group keeps this member meanwhile: the wait is far below max.poll.interval.ms
        }
    }

    /**
     * Writes POLICY_LOADED, once the registry has taken the audit schema: the chain counts a record before it is sent, so
     * a record must never fail to serialize after that. False while the registry does not answer (said on /healthz).
     */
    private boolean auditPolicyLoad() {
        try {
            topics.remediationAudit().valueSerde().serializer().serialize(Topics.REMEDIATION_AUDIT.name(), AUDIT_SCHEMA_PROBE);
        } catch (SchemaRegistryException e) {
            if (!e.isRetriable()) {
                throw e;
            }
            registryUnavailable.increment();
            problem.set(REGISTRY_PROBLEM + e.getMessage());
            log.warn("Cannot register the audit schema ({}); the policy load is audited, and alerts decided, once the registry answers",
                    e.getMessage());
            Services.backOff(REGISTRY_BACKOFF);
            return false;
        }
        policyLoad.run();
        registryAnswers();
        return true;
    }

    private void registryAnswers() {
        outageLogged = false;
        String current = problem.get();
        if (current != null && current.startsWith(REGISTRY_PROBLEM) && problem.compareAndSet(current, null)) {
            log.info("The schema registry answers again; resuming");
        }
    }

    /** A record that is not an alert (or approval) at all: to the dead-letter topic, and past it. */
    private void deadLetter(RecordDeserializationException e, DecodeFailure.BadRecord bad) {
        log.warn("Dead letter from {}@{}: {}: {}", e.topicPartition(), e.offset(), bad.reason(), bad.message());
        deadLettered.increment();
        DeadLetter letter = DeadLetters.build(new DeadLetters.Source(e.topicPartition().topic(), e.topicPartition().partition(), e.offset()),
                bytes(e.keyBuffer()), bytes(e.valueBuffer()), DeadLetterStage.REMEDIATION, bad.reason(), bad.message(), Instant.now());
        try {
            deadLetters.send(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), DeadLetters.key(letter), letter)).get(30, TimeUnit.SECONDS);
        } catch (Exception sendFailure) {
            throw new IllegalStateException("cannot write to " + Topics.DEAD_LETTERS.name() + ": " + sendFailure, sendFailure);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private void publish(Decision decision, Alert alert, Instant now) {
        Verdict verdict = decision instanceof Decision.Execute ? Verdict.EXECUTE : decision instanceof Decision.DryRun ? Verdict.DRY_RUN
                : decision instanceof Decision.NeedsApproval ? Verdict.NEEDS_APPROVAL : Verdict.REJECTED;
        Map<String, String> parameters = decision instanceof Decision.Execute e ? e.parameters() : decision instanceof Decision.DryRun d
                ? d.parameters() : decision instanceof Decision.NeedsApproval n ? n.parameters() : Map.of();
        RemediationDecision record = RemediationDecision.newBuilder()
                .setDecisionId(Remediator.decisionId(decision)).setIdempotencyKey(decision.idempotencyKey())
                .setAlertId(alert.getAlertId()).setAlertFingerprint(alert.getFingerprint()).setHostId(alert.getHostId())
                .setRule(decision.rule().name()).setAction(decision.rule().action().id()).setParameters(parameters).setVerdict(verdict)
                .setReason(decision instanceof Decision.Rejected r ? r.guard() + ": " + r.reason() : "")
                .setDecidedAt(now)
                .setExpiresAt(decision instanceof Decision.NeedsApproval n ? Instant.ofEpochMilli(n.expiresAtMillis()) : null)
                .build();
        decisionProducer.send(new ProducerRecord<>(Topics.REMEDIATION_DECISIONS.name(), alert.getHostId(), record));
    }

    /** One record, one transaction: acknowledged before the caller goes on (and before any action runs). */
    private void writeAudit(AuditRecord record) {
        Counter.builder("vigil.remediation.audit.records").description("audit records written, by outcome and guard")
                .tag("outcome", record.getOutcome().name()).tag("guard", record.getGuard() == null ? "" : record.getGuard())
                .register(metrics).increment();
        auditProducer.beginTransaction();
        auditProducer.send(new ProducerRecord<>(Topics.REMEDIATION_AUDIT.name(), AUDIT_CHAIN, record));
        auditProducer.commitTransaction();
        if (++sinceCheckpoint >= config.checkpointEvery()) {
            writeCheckpoint();
        }
    }

    private void writeCheckpoint() {
        if (sinceCheckpoint == 0) {
            return;
        }
        AuditCheckpoint checkpoint = chain.checkpoint(Instant.now());
        try {
            Files.writeString(config.checkpointsFile(), checkpoint.toLine() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            sinceCheckpoint = 0;
        } catch (IOException e) {
            log.error("Cannot write an audit checkpoint to {}: {}", config.checkpointsFile(), e.getMessage());
        }
    }

    /** Null while healthy; otherwise what is wrong (the registry unreachable, the loop stopped). */
    public String problem() {
        return problem.get();
    }

    /** Where /healthz and /metrics listen. */
    public String httpAddress() {
        return http.address();
    }

    /** The decisions waiting for {@code vigil approve}, by id. */
    public Map<String, Decision.NeedsApproval> pending() {
        return remediator.pending();
    }

    @Override
    public void close() {
        running.set(false);
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                consumer.wakeup();
                stopped.await(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
        auditProducer.close(Duration.ofSeconds(10));
        decisionProducer.close(Duration.ofSeconds(10));
        deadLetters.close(Duration.ofSeconds(10));
        actions.close();
        serdes.close();
    }

    /** Alerts, approvals, silences and retirements through one consumer: each topic's records decoded with its own type. */
    private static final class TopicDeserializer implements org.apache.kafka.common.serialization.Deserializer<SpecificRecord> {
        private final Map<String, org.apache.kafka.common.serialization.Deserializer<? extends SpecificRecord>> byTopic;

        TopicDeserializer(AvroSerdes serdes) {
            Topics topics = new Topics(serdes);
            this.byTopic = Map.of(Topics.ALERTS.name(), topics.alerts().valueSerde().deserializer(),
                    Topics.REMEDIATION_APPROVALS.name(), topics.remediationApprovals().valueSerde().deserializer(),
                    Topics.SILENCES.name(), topics.silences().valueSerde().deserializer(),
                    Topics.RETIRED_HOSTS.name(), topics.retiredHosts().valueSerde().deserializer());
        }

        /** The name of the record type {@code topic} holds, for dead letters. */
        static String recordType(String topic) {
            return Topics.ALL.stream().filter(spec -> spec.name().equals(topic)).findFirst()
                    .map(spec -> spec.valueType().getSimpleName()).orElse("record");
        }

        @Override
        public SpecificRecord deserialize(String topic, byte[] data) {
            return byTopic.get(topic).deserialize(topic, data);
        }
    }
}
