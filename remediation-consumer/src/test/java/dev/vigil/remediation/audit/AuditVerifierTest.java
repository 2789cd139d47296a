package dev.vigil.remediation.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;

class AuditVerifierTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);
    private final List<AuditCheckpoint> checkpoints = new ArrayList<>();
    private final List<AuditRecord> trail = trail(10);

    private List<AuditRecord> trail(int records) {
        AuditChain chain = new AuditChain(KEY, 0, AuditChain.GENESIS);
        List<AuditRecord> out = new ArrayList<>();
        for (int i = 1; i <= records; i++) {
            out.add(chain.append(Instant.ofEpochSecond(1_800_000_000L + i), "remediation-1", "d" + i, "a" + i, "web-0" + (i % 3),
                    "restart", "command:restart-unit", AuditChain.sha256("unit=nginx.service"),
                    i % 2 == 0 ? AuditOutcome.DRY_RUN : AuditOutcome.PLANNED, null, ""));
            if (i % 4 == 0) {
                checkpoints.add(chain.checkpoint(Instant.ofEpochSecond(1_800_000_000L + i)));
            }
        }
        return out;
    }

    private AuditVerifier.Result verify(List<AuditRecord> records) {
        return new AuditVerifier(KEY).verify(records, checkpoints);
    }

    @Test
    void shouldFindAnIntactTrailIntact() {
        assertThat(verify(trail)).isEqualTo(new AuditVerifier.Result.Intact(10, 2));
    }

    @Test
    void shouldNameAnEditedRecord() {
        List<AuditRecord> edited = new ArrayList<>(trail);
        edited.set(4, AuditRecord.newBuilder(trail.get(4)).setOutcome(AuditOutcome.SUCCEEDED).build());

        AuditVerifier.Result result = verify(edited);

        assertThat(result).isInstanceOf(AuditVerifier.Result.Broken.class);
        assertThat(((AuditVerifier.Result.Broken) result).sequence()).isEqualTo(5);
        assertThat(((AuditVerifier.Result.Broken) result).problem()).contains("HMAC");
    }

    @Test
    void shouldNameADeletedRecord() {
        List<AuditRecord> deleted = new ArrayList<>(trail);
        deleted.remove(6);

        AuditVerifier.Result result = verify(deleted);

        assertThat(result).isEqualTo(new AuditVerifier.Result.Broken(7, "record 7 is missing (the next record has sequence 8): deleted"));
    }

    @Test
    void shouldCatchARenumberedDeletionThroughTheBrokenLink() {
        // Someone deletes record 3 and re-signs nothing: renumbering later records breaks their HMACs; keeping
        // the numbers leaves a gap. Either way the trail is broken at record 3.
        List<AuditRecord> forged = new ArrayList<>(trail.subList(0, 2));
        forged.add(AuditRecord.newBuilder(trail.get(3)).setSequence(3).build());

        assertThat(((AuditVerifier.Result.Broken) verify(forged)).sequence()).isEqualTo(3);
    }

    @Test
    void shouldCatchATruncatedTailThroughTheCheckpoints() {
        AuditVerifier.Result result = verify(trail.subList(0, 6));

        assertThat(result).isInstanceOf(AuditVerifier.Result.Broken.class);
        assertThat(((AuditVerifier.Result.Broken) result).problem()).contains("truncated").contains("record 8");
    }

    @Test
    void shouldRefuseACheckpointSignedWithAnotherKeyOrEdited() {
        AuditCheckpoint forged = new AuditCheckpoint(4, checkpoints.get(0).headHash(), checkpoints.get(0).timestampMillis() + 1,
                checkpoints.get(0).hmac());
        checkpoints.add(forged);

        assertThat(((AuditVerifier.Result.Broken) verify(trail)).problem()).contains("checkpoint at 4 does not match its HMAC");
        assertThat(AuditCheckpoint.parse(checkpoints.get(0).toLine())).isEqualTo(checkpoints.get(0));
    }

    @Test
    void shouldVerifyATrailWithTheOutcomesOfVerificationAndCatchAVerdictRewritten() {
        AuditChain chain = new AuditChain(KEY, 0, AuditChain.GENESIS);
        List<AuditRecord> closed = new ArrayList<>();
        AuditOutcome[] life = {AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.INEFFECTIVE, AuditOutcome.UNDONE,
            AuditOutcome.SUCCEEDED, AuditOutcome.ESCALATED, AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.VERIFIED};
        for (int i = 0; i < life.length; i++) {
            closed.add(chain.append(Instant.ofEpochSecond(1_800_000_000L + i), "remediation-1", "d" + (i < 6 ? 1 : 2), "a1", "web-01",
                    "restart", "command:restart-unit", AuditChain.sha256(""), life[i], null, "what was seen"));
        }
        List<AuditRecord> rewritten = new ArrayList<>(closed);
        rewritten.set(2, AuditRecord.newBuilder(closed.get(2)).setOutcome(AuditOutcome.VERIFIED).build());

        assertThat(new AuditVerifier(KEY).verify(closed, List.of())).isEqualTo(new AuditVerifier.Result.Intact(9, 0));
        assertThat(new AuditVerifier(KEY).verify(rewritten, List.of())).isEqualTo(new AuditVerifier.Result.Broken(3,
                "record 3 does not match its HMAC: edited, or signed with another key"));
    }
}
