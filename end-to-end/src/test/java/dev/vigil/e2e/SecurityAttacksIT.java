package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.avro.Alert;
import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.collectors.agent.AgentConfig;
import dev.vigil.collectors.agent.CollectorAgent;
import dev.vigil.e2e.attacks.AttackAccess;
import dev.vigil.e2e.attacks.AttackLedger;
import dev.vigil.e2e.attacks.HttpAttacker;
import dev.vigil.remediation.Alerts;
import dev.vigil.remediation.AuditTopic;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.security.Tokens;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.Eventually;
import dev.vigil.stack.FileTrees;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.RawHttp;
import dev.vigil.stack.RawHttp.Framing;
import dev.vigil.stack.RawHttp.Request;
import dev.vigil.stack.StackEndpoints;

/**
 * The security suite of issue 18: the real services on the local stack, one access file (a token per role, an expired and
 * a revoked one, approvers with Ed25519 keys), attacked as an outsider, a holder of a low-role token and a writer to the
 * approvals topic would: no, malformed, wrong, unknown, expired and revoked tokens; the wrong role; oversized bodies
 * (declared and chunked); path traversal; CR/LF where a value is reflected or logged; the failed-authentication limit; and
 * unsigned, forged, unknown-key, non-approver, out-of-scope, expired, replayed, cross-decision and not-pending approvals.
 * <p>
 * Every attempt is entered in an {@link AttackLedger}; the suite then asserts that none was accepted and nothing changed
 * (no silence, no pushed sample, no action run, the decision still waiting), that each was refused for the reason
 * expected, and that each refusal is counted in the service's own meter, logged (HTTP) or audited as APPROVAL_REFUSED
 * (approvals) exactly as often as the ledger says. It prints the ledger's table (docs/security.md shows it).
 */
@ExtendWith(LocalStackExtension.class)
class SecurityAttacksIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAMS = "streams application";
    private static final String AGENT = "collector agent";
    private static final String REMEDIATION = "remediation consumer";
    private static final int AGENT_FAILURE_LIMIT = 5;
    private static final String FORGED = "FORGED-LINE";
    private static final Set<String> HOSTS = Set.of("atk-01", "atk-02");
    private static final Pattern APPROVAL_REFUSAL_LOG = Pattern.compile("Approval of decision \"(?:[^\"\\\\]|\\\\.)*\" refused \\(([\\w-]+)\\)");

    private final AttackLedger ledger = new AttackLedger();

    @Test
    void shouldRefuseEveryAttackAndRecordEachRefusalWithItsReason(StackEndpoints stack) throws Exception {
        Path work = Path.of("target", "it-security-attacks").toAbsolutePath();
        FileTrees.delete(work);
        AttackAccess access = new AttackAccess(work.resolve("access"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(2), (short) 1);
        }
        Path ran = work.resolve("ran.log");
        Path script = Files.writeString(work.resolve("restart.sh"), "#!/bin/bash\necho \"ran $1\" >> " + ran + "\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        Path policy = Files.writeString(work.resolve("policy.yaml"), """
                dry_run: false
                commands:
                  restart: {executable: %s, args: ["{{host}}"], timeout: 10s}
                rules:
                  - name: restart-attacked
                    match: {metric: "attack\\\\..*"}
                    approval: true
                    target_cooldown: 0s
                    action: {executor: command, name: restart, parameters: {host: "{{host_id}}"}}
                """.formatted(script));

        Logger httpLog = (Logger) LoggerFactory.getLogger("dev.vigil.runtime.security.http");
        ListAppender<ILoggingEvent> agentLog = new ListAppender<>();
        agentLog.start();
        httpLog.addAppender(agentLog);
        try (ServiceProcess streams = ServiceProcess.streams(work, stack, Map.of("application.id", "vigil-security-attacks-it",
                     "http.access.file", access.file().toString(), "http.auth.failures.limit", "0")).metricsToken(access.viewer).start();
             ServiceProcess remediation = ServiceProcess.remediation(work, stack, Map.of("policy.file", policy.toString(),
                     "audit.key", SharedStack.AUDIT_KEY, "http.access.file", access.file().toString(),
                     "group.id", "vigil-security-attacks-it-actions")).metricsToken(access.viewer).start();
             CollectorAgent agent = CollectorAgent.start(AgentConfig.from(ConfigSource.of(Map.of(
                     "kafka.bootstrap.servers", stack.kafkaBootstrapServers(), "schema.registry.url", stack.schemaRegistryUrl(),
                     "host.id", "atk-agent", "spool.dir", work.resolve("agent-spool").toString(), "http.port", "0",
                     "http.access.file", access.file().toString(), "http.auth.failures.limit", Integer.toString(AGENT_FAILURE_LIMIT)))))) {
            Eventually.await(Duration.ofMinutes(3), "the streams application and the remediation consumer up",
                    () -> streams.health().map(ServiceProcess.Health::isUp).orElse(false)
                            && remediation.health().map(ServiceProcess.Health::isUp).orElse(false));
            int streamsPort = streams.uri("/").getPort();
            int silencesBefore = silences(streamsPort, access);

            attackTheStreamsApplication(streamsPort, access);
            attackTheAgent(agent.httpPort(), access);
            String approvalsCheck = attackTheApprovals(stack, access, ran);

            System.out.println("\nSecurity attack suite (" + SecurityAttacksIT.class.getSimpleName() + "):\n\n" + ledger.table());
            Files.writeString(Path.of("target", "security-attacks.md"), ledger.table());

            assertThat(ledger.accepted()).as("attempts accepted").isZero();
            assertThat(ledger.unexpected()).as("attempts refused for another reason than expected").isEmpty();
            // nothing changed
            assertThat(silences(streamsPort, access)).as("silences after the attacks").isEqualTo(silencesBefore);
            assertThat(streams.scrape(series("vigil_streams_silence_requests_total", "outcome", "created"))).as("silences created").isZero();
            assertThat(agent.metrics().find("vigil.collector.ingest.samples").counter()).as("samples pushed").isNull();
            assertThat(Files.exists(ran)).as("an action ran").isFalse();
            assertThat(approvalsCheck).isEmpty();
            // each refusal counted where it belongs, as often as the ledger says
            ledger.recordedBy(STREAMS).forEach((recorded, count) -> assertThat(streams.scrape(series(recorded)))
                    .as("%s on the streams application", recorded.series()).isEqualTo(count.doubleValue()));
            String agentScrape = agent.metrics().scrape();
            ledger.recordedBy(AGENT).forEach((recorded, count) -> assertThat(sum(agentScrape, series(recorded)))
                    .as("%s on the agent", recorded.series()).isEqualTo(count.doubleValue()));
            ledger.recordedBy(REMEDIATION).forEach((recorded, count) -> assertThat(remediation.scrape(series(recorded)))
                    .as("%s on the remediation consumer", recorded.series()).isEqualTo(count.doubleValue()));
            // and logged with its reason, never letting a value write a line of its own
            assertThat(HttpAttacker.refusalsLogged(streams.output())).as("refusals in the streams application's log")
                    .isEqualTo(ledger.loggedBy(STREAMS));
            String agentLines = agentLog.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
            assertThat(HttpAttacker.refusalsLogged(agentLines)).as("refusals in the agent's log").isEqualTo(ledger.loggedBy(AGENT));
            Map<String, Long> approvalLines = new TreeMap<>();
            Matcher lines = APPROVAL_REFUSAL_LOG.matcher(remediation.output());
            while (lines.find()) {
                approvalLines.merge(lines.group(1), 1L, Long::sum);
            }
            assertThat(approvalLines).as("refusals in the remediation consumer's log").isEqualTo(ledger.loggedBy(REMEDIATION));
            for (String line : (streams.output() + "\n" + remediation.output() + "\n" + agentLines).split("\n")) {
                assertThat(line.contains(FORGED) && !line.contains("\\n" + FORGED)).as("a forged log line: %s", line).isFalse();
            }
        } finally {
            httpLog.detachAppender(agentLog);
        }
    }

    /** Tokens, roles, bodies, paths and header injection against the query and silences API. */
    private void attackTheStreamsApplication(int port, AttackAccess access) {
        HttpAttacker silences = new HttpAttacker(STREAMS, port, "vigil_streams_silence_requests_total", "outcome", ledger);
        HttpAttacker hosts = new HttpAttacker(STREAMS, port, "vigil_streams_http_bad_requests_total", "field", ledger);
        byte[] silence = json(Map.of("hosts", List.of("atk-01"), "duration", "2h", "reason", "maintenance"));

        hosts.attack("no token", get("/v1/hosts/atk-01"), "missing_credentials");
        silences.attack("no token", get("/v1/silences"), "missing_credentials");
        silences.attack("no token", post("/v1/silences", silence), "missing_credentials");
        hosts.attack("no token", get("/metrics"), "missing_credentials");

        silences.attack("malformed token", post("/v1/silences", silence, "Authorization: Basic b2xnYTpodW50ZXIy"), "malformed_credentials");
        silences.attack("malformed token", post("/v1/silences", silence, "Authorization: Bearer hunter2"), "malformed_credentials");
        hosts.attack("malformed token", get("/v1/hosts/atk-01", "Authorization: Bearer vgl_viewer"), "malformed_credentials");

        silences.attack("wrong secret", post("/v1/silences", silence, bearer(Tokens.generate("operator"))), "unknown_token");
        hosts.attack("wrong secret", get("/v1/hosts/atk-01", bearer(Tokens.generate("viewer"))), "unknown_token");
        silences.attack("unknown token id", post("/v1/silences", silence, bearer(Tokens.generate("root"))), "unknown_token");
        silences.attack("expired token", post("/v1/silences", silence, bearer(access.expired)), "expired_token");
        silences.attack("revoked token", post("/v1/silences", silence, bearer(access.revoked)), "revoked_token");

        silences.attack("wrong role: viewer writes a silence", post("/v1/silences", silence, bearer(access.viewer)), "missing_role");
        silences.attack("wrong role: viewer ends a silence", post("/v1/silences/s-1/expire", json(Map.of()), bearer(access.viewer)),
                "missing_role");
        silences.attack("wrong role: approver writes a silence", post("/v1/silences", silence, bearer(access.approver)), "missing_role");
        hosts.attack("wrong role: publisher reads the API", get("/v1/hosts/atk-01", bearer(access.publisher)), "missing_role");
        silences.attack("wrong role: publisher reads the API", get("/v1/silences", bearer(access.publisher)), "missing_role");
        hosts.attack("wrong role: publisher reads the API", get("/metrics", bearer(access.publisher)), "missing_role");

        byte[] big = new byte[(1 << 20) + 16 * 1024];
        silences.attack("oversized body", post("/v1/silences", big, bearer(access.operator)).withBody(big, Framing.DECLARED_ONLY),
                "body_too_large");
        silences.attack("oversized body", post("/v1/silences", big, bearer(access.operator)).withBody(big, Framing.CHUNKED), "body_too_large");
        silences.attack("oversized body", post("/v1/silences", new byte[0]).withBody(new byte[8 << 20], Framing.DECLARED_ONLY),
                "body_too_large");

        for (String path : List.of("/v1/hosts/../silences", "/v1/hosts/..%2fsilences", "/v1/hosts/%2e%2e/%2e%2e/metrics",
                "/v1/hosts/atk-01%2f..%2f..%2fmetrics", "/v1/silences/..%2f..%2fmetrics", "/v1/hosts/%252e%252e%252fmetrics",
                "/v1/hosts/atk-01%00.json", "/v1/hosts/..%5c..%5cmetrics", "/v1/silences/./s-1", "/v1//hosts/atk-01")) {
            hosts.attack("path traversal", get(path, bearer(access.viewer)), "bad_path");
        }
        silences.attack("path traversal", post("/v1/silences/../silences", silence, bearer(access.operator)), "bad_path");
        hosts.attack("host id injection", get("/v1/hosts/atk-01;rm%20-rf%20%2A", bearer(access.viewer)), "field host");
        hosts.attack("host id injection", get("/v1/hosts/" + "a".repeat(300), bearer(access.viewer)), "field host");

        List<RawHttp.Answer> injected = new ArrayList<>();
        injected.add(hosts.attack("header injection: CR/LF in the path", get("/v1/hosts/atk-01%0d%0aSet-Cookie:%20session=stolen"),
                "bad_path"));
        injected.add(hosts.attack("header injection: CR/LF in the path", get("/v1/hosts/atk-01%0d%0aLocation:%20http://evil.example/",
                bearer(access.viewer)), "bad_path"));
        injected.add(silences.attack("header injection: CR/LF in a reflected id", post("/v1/silences", json(Map.of("silenceId",
                "s-1\r\nSet-Cookie: session=stolen", "hosts", List.of("atk-01"), "duration", "2h", "reason", "maintenance")),
                bearer(access.operator)), "field silenceId"));
        injected.add(silences.attack("log injection: CR/LF in a logged reason", post("/v1/silences", json(Map.of("hosts", List.of("atk-01"),
                "duration", "2h", "reason", "maintenance\r\n" + FORGED + " Silence s-9 ended early by admin")), bearer(access.operator)),
                "field reason"));
        injected.add(silences.attack("log injection: CR/LF in a logged author", post("/v1/silences", json(Map.of("hosts", List.of("atk-01"),
                "duration", "2h", "reason", "maintenance", "author", "olga\r\n" + FORGED)), bearer(access.operator)), "field author"));
        assertThat(injected).allSatisfy(answer -> {
            assertThat(answer.headers()).doesNotContainKeys("set-cookie", "location");
            assertThat(answer.body()).doesNotContain("\r\n");
        });
    }

    /** Roles, bodies, paths and guessing against the agent's push endpoint, whose address limit is {@value #AGENT_FAILURE_LIMIT}. */
    private void attackTheAgent(int port, AttackAccess access) {
        HttpAttacker agent = new HttpAttacker(AGENT, port, "vigil_collector_ingest_rejected_total", "reason", ledger);
        byte[] samples = json(Map.of("samples", List.of(Map.of("name", "app.attack", "value", 1.0))));

        agent.attack("no token", push(samples), "missing_credentials");
        agent.attack("wrong role: viewer pushes metrics", push(samples, bearer(access.viewer)), "missing_role");
        agent.attack("wrong role: approver pushes metrics", push(samples, bearer(access.approver)), "missing_role");
        byte[] big = new byte[(1 << 20) + 16 * 1024];
        agent.attack("oversized body", push(big, bearer(access.publisher)).withBody(big, Framing.DECLARED_ONLY), "body_too_large");
        agent.attack("oversized body", push(big, bearer(access.publisher)).withBody(big, Framing.CHUNKED), "body_too_large");
        agent.attack("path traversal", Request.of("POST", "/v1/metrics/../metrics", bearer(access.publisher)), "bad_path");
        agent.attack("path traversal", Request.of("POST", "/v1/metrics/%2e%2e/healthz", bearer(access.publisher)), "bad_path");

        int failures = 1; // the push without a token
        for (int i = 0; i < 10; i++) {
            agent.attack("guessing tokens (limit " + AGENT_FAILURE_LIMIT + " a minute)", push(samples, bearer(Tokens.generate("publisher"))),
                    failures++ < AGENT_FAILURE_LIMIT ? "unknown_token" : "too_many_failures");
        }
    }

    /**
     * Answers a writer to {@code vigil.remediation.approvals} could publish, one at a time against two decisions waiting for
     * approval (A and B), around one valid denial of B by alice (the control, not an attack); returns what is wrong, or "".
     */
    private String attackTheApprovals(StackEndpoints stack, AttackAccess access, Path ran) throws Exception {
        Map<String, Object> kafka = Map.of("bootstrap.servers", stack.kafkaBootstrapServers());
        Map<String, Object> registry = Map.of("schema.registry.url", stack.schemaRegistryUrl());
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             KafkaProducer<String, Alert> alerts = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).alerts().valueSerde().serializer());
             KafkaProducer<String, ApprovalDecision> approvals = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).remediationApprovals().valueSerde().serializer())) {
            for (String host : new String[] {"atk-01", "atk-02"}) {
                alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), host, Alerts.opened(host + "/attack.x-1", host, "attack.x", Map.of())));
            }
            alerts.flush();
            Map<String, String> waiting = new TreeMap<>();
            Eventually.await(Duration.ofSeconds(90), "two decisions waiting for approval", () -> {
                AuditTopic.readAll(kafka, registry).stream().filter(r -> r.getOutcome() == AuditOutcome.AWAITING_APPROVAL && HOSTS.contains(r.getHostId()))
                        .forEach(r -> waiting.put(r.getHostId(), r.getDecisionId()));
                return waiting.size() == 2;
            });
            String a = waiting.get("atk-01");
            String b = waiting.get("atk-02");
            Set<String> ours = Set.of(a, b, "no-such-decision");
            Instant now = Instant.now();
            ApprovalDecision aliceApprovesA = access.sign("alice", "alice", a, true, "captured on its way to A", now);
            ApprovalDecision aliceDeniesB = access.sign("alice", "alice", b, false, "not now", now);
            ApprovalApproach approach = new ApprovalApproach(approvals, kafka, registry, ours);

            approach.attack("unsigned approval", a, new ApprovalDecision(a, true, "alice", now, "unsigned", "", null, "", null), "unsigned");
            approach.attack("forged: a signed field changed", a, ApprovalDecision.newBuilder(aliceApprovesA).setComment("changed").build(),
                    "forged");
            approach.attack("forged: alice's name, another key", a, access.sign("alice", "mallory", a, true, "I am alice", now), "forged");
            approach.attack("signed by an unknown key", a, access.sign("mallory", "mallory", a, true, "let me in", now), "unknown-signer");
            approach.attack("signed by a non-approver (viewer)", a, access.sign("victor", "victor", a, true, "a viewer", now), "not-approver");
            approach.attack("out-of-scope approver (clean-* rules)", a, access.sign("cleaner", "cleaner", a, true, "not my rule", now),
                    "not-approver");
            approach.attack("expired approval", a, access.sign("alice", "alice", a, true, "too late", now.minus(Duration.ofMinutes(20))),
                    "expired");
            approach.attack("cross-decision: A's approval under key B", b, aliceApprovesA, "other-decision");
            approach.control(b, aliceDeniesB);
            approach.attack("replayed answer", b, aliceDeniesB, "replayed");
            approach.attack("approval of a decision not pending", b, access.sign("alice", "alice", b, true, "after the denial", now),
                    "not-pending");
            approach.attack("approval of a decision not pending", "no-such-decision",
                    access.sign("alice", "alice", "no-such-decision", true, "nothing waits", now), "not-pending");

            List<AuditRecord> trail = AuditTopic.readAll(kafka, registry);
            boolean aStillWaits = trail.stream().noneMatch(r -> a.equals(r.getDecisionId()) && r.getOutcome() != AuditOutcome.AWAITING_APPROVAL
                    && r.getOutcome() != AuditOutcome.APPROVAL_REFUSED);
            long denied = trail.stream().filter(r -> b.equals(r.getDecisionId()) && r.getOutcome() == AuditOutcome.DENIED).count();
            return (aStillWaits ? "" : "decision A is no longer waiting; ") + (denied == 1 ? "" : "B was denied " + denied + " times; ")
                    + (Files.exists(ran) ? "an action ran" : "");
        }
    }

    /** Publishes answers one at a time and reads the trail for what became of each. */
    private final class ApprovalApproach {
        private final KafkaProducer<String, ApprovalDecision> approvals;
        private final Map<String, Object> kafka;
        private final Map<String, Object> registry;
        private final Predicate<AuditRecord> ours;

        ApprovalApproach(KafkaProducer<String, ApprovalDecision> approvals, Map<String, Object> kafka, Map<String, Object> registry,
                         Set<String> decisions) {
            this.approvals = approvals;
            this.kafka = kafka;
            this.registry = registry;
            this.ours = record -> decisions.contains(record.getDecisionId());
        }

        void attack(String attack, String key, ApprovalDecision answer, String expected) throws Exception {
            List<AuditRecord> before = answers();
            publish(key, answer);
            List<AuditRecord> after = awaitOneMore(before.size());
            AuditRecord result = after.get(after.size() - 1);
            boolean accepted = result.getOutcome() != AuditOutcome.APPROVAL_REFUSED;
            String reason = accepted ? null : result.getGuard();
            ledger.add(new AttackLedger.Attempt(attack, REMEDIATION, accepted, accepted ? result.getOutcome().name() : "APPROVAL_REFUSED",
                    accepted ? null : new AttackLedger.Recorded("vigil_remediation_approvals_refused_total", "reason", reason), reason, expected,
                    "trail + log"));
        }

        /** A valid answer, which must be taken: not an attack, but what the replay replays. */
        void control(String key, ApprovalDecision answer) throws Exception {
            List<AuditRecord> before = answers();
            publish(key, answer);
            assertThat(awaitOneMore(before.size())).last().extracting(AuditRecord::getOutcome).isEqualTo(AuditOutcome.DENIED);
        }

        private void publish(String key, ApprovalDecision answer) throws Exception {
            approvals.send(new ProducerRecord<>(Topics.REMEDIATION_APPROVALS.name(), key, answer)).get();
        }

        private List<AuditRecord> awaitOneMore(int before) {
            List<List<AuditRecord>> seen = new ArrayList<>(List.of(List.of()));
            Eventually.await(Duration.ofSeconds(60), "the answer audited", () -> {
                seen.set(0, answers());
                return seen.get(0).size() > before;
            });
            assertThat(seen.get(0)).as("one record per answer").hasSize(before + 1);
            return seen.get(0);
        }

        /** The trail's records of answers to this suite's decisions: refused, approved or denied. */
        private List<AuditRecord> answers() {
            return AuditTopic.readAll(kafka, registry).stream().filter(ours).filter(r -> r.getOutcome() == AuditOutcome.APPROVAL_REFUSED
                    || r.getOutcome() == AuditOutcome.APPROVED || r.getOutcome() == AuditOutcome.DENIED).toList();
        }
    }

    private static int silences(int port, AttackAccess access) {
        RawHttp.Answer answer = RawHttp.send(port, get("/v1/silences?all=true", bearer(access.operator)));
        assertThat(answer.status()).as("the operator lists silences").isEqualTo(200);
        try {
            return JSON.readTree(answer.body()).get("silences").size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Request get(String path, String... headers) {
        return Request.of("GET", path, headers);
    }

    private static Request post(String path, byte[] body, String... headers) {
        return Request.of("POST", path, concat(headers, "Content-Type: application/json")).withBody(body, Framing.CONTENT_LENGTH);
    }

    private static Request push(byte[] body, String... headers) {
        return post("/v1/metrics", body, headers);
    }

    private static String[] concat(String[] headers, String header) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 1);
        all[headers.length] = header;
        return all;
    }

    private static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }

    private static byte[] json(Map<String, ?> value) {
        JsonNode node = JSON.valueToTree(value);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Pattern series(AttackLedger.Recorded recorded) {
        return series(recorded.meter(), recorded.label(), recorded.value());
    }

    private static Pattern series(String meter, String label, String value) {
        return Pattern.compile("(?m)^" + Pattern.quote(meter + "{" + label + "=\"" + value + "\"}") + " ([0-9.eE+-]+)$");
    }

    private static double sum(String scrape, Pattern series) {
        Matcher matcher = series.matcher(scrape);
        double sum = 0;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(1));
        }
        return sum;
    }
}
