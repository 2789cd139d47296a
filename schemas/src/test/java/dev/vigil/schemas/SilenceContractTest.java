package dev.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.Silence;

class SilenceContractTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    static Silence silence(List<String> hosts, Map<String, String> labels, String metric) {
        return Silence.newBuilder().setSilenceId("s-1").setHosts(hosts).setHostLabels(labels).setMetric(metric).setStartsAt(NOW)
                .setEndsAt(NOW.plus(Duration.ofHours(2))).setAuthor("alice").setReason("kernel upgrade").setCreatedAt(NOW)
                .setExpiredBy(null).build();
    }

    private static List<String> fields(Silence silence) {
        return SilenceContract.problems(silence).stream().map(SilenceContract.Problem::field).toList();
    }

    @Test
    void shouldTakeASilenceWithAnEndAnAuthorAReasonAndSomethingToMatch() {
        assertThat(SilenceContract.problems(silence(List.of("web-01"), Map.of(), null))).isEmpty();
        assertThat(SilenceContract.problems(silence(List.of(), Map.of("role", "web"), null))).isEmpty();
        assertThat(SilenceContract.problems(silence(List.of(), Map.of(), "system\\.cpu\\..*"))).isEmpty();
    }

    @Test
    void shouldNameEachFieldThatIsWrong() {
        Silence bad = Silence.newBuilder(silence(List.of(" "), Map.of("", "x"), "(unclosed")).setSilenceId("no spaces")
                .setEndsAt(NOW.minusSeconds(1)).setAuthor(" ").setReason("").build();

        assertThat(fields(bad)).containsExactly("silenceId", "hosts", "hostLabels", "metric", "endsAt", "author", "reason");
        assertThat(SilenceContract.problems(bad).get(4).message()).contains("before it starts");
    }

    @Test
    void shouldRefuseASilenceOfEverything() {
        assertThat(SilenceContract.problems(silence(List.of(), Map.of(), null)))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.field()).isEqualTo("hosts");
                    assertThat(problem.message()).contains("would silence everything");
                });
    }

    @Test
    void shouldRefuseANewSilenceThatHasEndedAlready() {
        Silence ended = Silence.newBuilder(silence(List.of("web-01"), Map.of(), null)).setStartsAt(NOW.minus(Duration.ofHours(3)))
                .setEndsAt(NOW.minus(Duration.ofHours(1))).build();

        assertThat(SilenceContract.problems(ended)).isEmpty();
        assertThat(SilenceContract.problemsOfNew(ended, NOW)).extracting(SilenceContract.Problem::field).containsExactly("endsAt");
    }

    @Test
    void shouldRefuseANewSilenceWhoseReasonOrAuthorCouldForgeALogLine() {
        Silence forged = Silence.newBuilder(silence(List.of("web-01"), Map.of(), null))
                .setReason("disk swap\n2026-12-01 05:00:00 INFO Silence s-1 ended early by admin").setAuthor("alice\r").build();

        assertThat(SilenceContract.problemsOfNew(forged, NOW)).extracting(SilenceContract.Problem::field).containsExactly("author", "reason");
    }

    @Test
    void shouldCoverAnAlertOnlyWhenEveryConditionHoldsWithinItsWindow() {
        SilenceContract.Scope scope = SilenceContract.scope(silence(List.of("web-01", "web-02"), Map.of("role", "web"), "system\\.cpu\\..*"));
        long now = NOW.toEpochMilli() + MINUTE;
        Map<String, String> web = Map.of("role", "web", "dc", "fra");

        assertThat(scope.covers("web-01", web, "system.cpu.utilization", now)).isTrue();
        assertThat(scope.covers("web-03", web, "system.cpu.utilization", now)).as("another host").isFalse();
        assertThat(scope.covers("web-01", Map.of("role", "db"), "system.cpu.utilization", now)).as("another role").isFalse();
        assertThat(scope.covers("web-01", web, "system.memory.usage", now)).as("another metric").isFalse();
        assertThat(scope.covers("web-01", web, "xsystem.cpu.utilization", now)).as("the whole name must match").isFalse();
        assertThat(scope.covers("web-01", web, null, now)).as("a host-level alert, under a metric pattern").isFalse();
        assertThat(scope.covers("web-01", web, "system.cpu.utilization", NOW.toEpochMilli() - 1)).as("before it starts").isFalse();
        assertThat(scope.covers("web-01", web, "system.cpu.utilization", NOW.plus(Duration.ofHours(2)).toEpochMilli()))
                .as("at its end").isFalse();
    }

    @Test
    void shouldCoverHostLevelAlertsWhenItGivesNoMetricPattern() {
        SilenceContract.Scope scope = SilenceContract.scope(silence(List.of("web-01"), Map.of(), null));

        assertThat(scope.covers("web-01", Map.of(), null, NOW.toEpochMilli())).isTrue();
        assertThat(scope.covers("web-01", Map.of(), "anything.at.all", NOW.toEpochMilli())).isTrue();
    }

    @Test
    void shouldEndASilenceEarlyAsANewVersionThatNamesWhoEndedIt() {
        Silence silence = silence(List.of("web-01"), Map.of(), null);
        Instant later = NOW.plus(Duration.ofMinutes(30));

        Silence expired = SilenceContract.expired(silence, "bob", later);

        assertThat(expired.getEndsAt()).isEqualTo(later);
        assertThat(expired.getExpiredBy()).isEqualTo("bob");
        assertThat(expired.getAuthor()).isEqualTo("alice");
        assertThat(SilenceContract.problems(expired)).isEmpty();
        assertThat(SilenceContract.isActive(expired, later)).isFalse();
        assertThat(SilenceContract.hasEnded(expired, later)).isTrue();
        assertThat(SilenceContract.isActive(silence, later)).isTrue();
    }

    @Test
    void shouldEndASilenceThatHasNotStartedYetWhereItWouldHaveStarted() {
        Silence future = Silence.newBuilder(silence(List.of("web-01"), Map.of(), null)).setStartsAt(NOW.plus(Duration.ofHours(1)))
                .setEndsAt(NOW.plus(Duration.ofHours(2))).build();

        Silence expired = SilenceContract.expired(future, "bob", NOW);

        assertThat(expired.getEndsAt()).isEqualTo(future.getStartsAt());
        assertThat(SilenceContract.problems(expired)).isEmpty();
        assertThat(SilenceContract.scope(expired).covers("web-01", Map.of(), null, future.getStartsAt().toEpochMilli())).isFalse();
    }

    @Test
    void shouldMakeIdsThatAreValidAndDistinct() {
        String one = SilenceContract.newId();
        String two = SilenceContract.newId();

        assertThat(one).matches("s-[0-9a-f]{16}").isNotEqualTo(two);
        assertThat(SilenceContract.problems(Silence.newBuilder(silence(List.of("h"), Map.of(), null)).setSilenceId(one).build())).isEmpty();
    }
}
