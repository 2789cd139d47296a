package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine.TypeConversionException;

class CommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CommandLineRun.run(out, err, args);
    }

    @Test
    void shouldListEverySubcommandInTheHelp() {
        int code = run("--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("dev", "stack", "topics", "streams", "sink", "remediate", "approve", "deny", "audit", "silence",
                "host");
    }

    @Test
    void shouldReadDurationsAsPeopleWriteThem() {
        var converter = new DurationConverter();

        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(converter.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> converter.convert("soon")).isInstanceOf(TypeConversionException.class).hasMessageContaining("30s");
    }

    @Test
    void shouldRejectABadDurationAsAUsageError() {
        int code = run("dev", "--for", "forever");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("forever");
    }

    @Test
    void shouldSayNoStackRunsWhenAskedForStatusOfAnEmptyFolder(@TempDir Path dir) {
        int code = run("stack", "status", "--work-dir", dir.toString());

        assertThat(code).isEqualTo(ExitCodes.NOT_RUNNING);
        assertThat(out.toString()).contains("No local stack is running in " + dir);
    }

    @Test
    void shouldExplainHowToGetAClusterWhenTopicsHaveNone(@TempDir Path dir) {
        int code = run("topics", "describe", "--work-dir", dir.toString());

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("No --bootstrap-server given").contains("vigil stack start --detach");
    }

    @Test
    void shouldRefuseASilenceWithoutAnEndOrAReasonAsAUsageError() {
        assertThat(run("silence", "add", "--host", "web-01", "--reason", "upgrade")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--end", "--for");
        assertThat(run("silence", "add", "--host", "web-01", "--for", "2h")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--reason");
        assertThat(run("host", "retire", "web-01")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void shouldRefuseABadSilenceNamingTheOptionBeforeReachingKafka(@TempDir Path dir) {
        assertThat(run("silence", "add", "--reason", "upgrade", "--for", "2h", "--work-dir", dir.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("vigil: silence refused: --host: a silence must name hosts, host labels or a metric pattern");
        assertThat(run("silence", "add", "--host", "web-01", "--reason", "upgrade", "--end", "2020-01-01T00:00:00Z", "--work-dir",
                dir.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("vigil: silence refused: --end / --for: ends (2020-01-01T00:00:00Z) before");
        assertThat(run("silence", "add", "--host", "web-01", "--reason", "upgrade", "--for", "2h", "--as", " ", "--work-dir",
                dir.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("vigil: --as: say who you are, in 1 to 128 characters");
        assertThat(run("silence", "add", "--metric", "(", "--reason", "upgrade", "--for", "2h", "--work-dir", dir.toString()))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("vigil: silence refused: --metric: '(' is not a regular expression");
    }

    @Test
    void shouldRefuseZeroPartitions() {
        int code = run("topics", "create", "--bootstrap-server", "127.0.0.1:1", "--partitions", "0");

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("--partitions must be at least 1");
    }
}
