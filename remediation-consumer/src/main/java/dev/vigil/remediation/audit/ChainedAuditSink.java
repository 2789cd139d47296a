package dev.vigil.remediation.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.Remediator;

/**
 * The audit sink of the remediation consumer: each entry becomes the next signed link of the {@link AuditChain}
 * and is handed to {@code writer} (the audit topic's producer, which must not return before the broker has it).
 * Parameters are stored as their hash only: the trail proves what ran without holding what the parameters say.
 */
public final class ChainedAuditSink implements Remediator.AuditSink {

    private final AuditChain chain;
    private final Consumer<AuditRecord> writer;

    public ChainedAuditSink(AuditChain chain, Consumer<AuditRecord> writer) {
        this.chain = Objects.requireNonNull(chain, "chain can't be null");
        this.writer = Objects.requireNonNull(writer, "writer can't be null");
    }

    @Override
    public synchronized void append(String decisionId, String alertId, String hostId, String rule, String action,
                                    Map<String, String> parameters, AuditOutcome outcome, String guard, String detail, String actor,
                                    Instant time) {
        writer.accept(chain.append(time, actor, decisionId, alertId, hostId, rule, action, Remediator.parametersHash(parameters), outcome,
                guard, detail == null ? "" : detail));
    }
}
