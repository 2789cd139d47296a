package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.vigil.schemas.Topics;

/**
 * The assembled distribution (target/vigil.jar + lib/) run as a user runs it, in its own JVM: the stack
 * comes up, says where it listens, and stops cleanly on a signal with no child process left behind.
 */
class VigilLauncherIT {

    private static final Path JAR = Path.of("target", "vigil.jar");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void shouldRunDevWithCollectorAndSimulatorAndStopCleanlyOnSigtermLeavingNoProcessBehind() throws Exception {
        Path workDir = Files.createTempDirectory(Path.of("target"), "it-dev-");
        Path output = workDir.resolve("dev.out");
        Process dev = vigil(output, "dev", "--any-ports", "--simulate", "3", "--work-dir", workDir.toString());

        awaitLine(dev, output, "Press Ctrl-C to stop everything.");
        List<ProcessHandle> children = dev.toHandle().descendants().toList();
        // SIGTERM takes the same shutdown path as Ctrl-C; SIGINT is ignored by background processes in CI shells.
        dev.toHandle().destroy();

        assertThat(dev.waitFor(60, TimeUnit.SECONDS)).as("vigil dev exits").isTrue();
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(printed).contains("Kafka bootstrap", "Schema registry", "ClickHouse HTTP", "Topics: " + Topics.ALL.size() + " created", "Streams: scoring",
                "Sink: every topic into ClickHouse", "Remediation: dry run", "Collector: this host as",
                "Simulator: 3 hosts x 50 series", "Stopped cleanly.", "Approvals: signed; access file ", "dev-approver.key");
        Matcher console = Pattern.compile("Console: http://127\\.0\\.0\\.1:\\d+/login as admin, one-time password (\\S+) ").matcher(printed);
        assertThat(console.find()).as(printed).isTrue();
        String password = console.group(1);
        try (var files = Files.walk(workDir)) {
            assertThat(files.filter(file -> (file.toString().endsWith(".log") || file.toString().endsWith(".yaml") || file.toString().endsWith(".out"))
                    && !file.equals(output)).filter(Files::isRegularFile).filter(file -> readQuietly(file).contains(password)))
                    .as("the one-time password is printed once, never logged or stored").isEmpty();
        }
        try (var files = Files.walk(workDir)) {
            Path key = files.filter(file -> file.getFileName().toString().equals("dev-approver.key")).findFirst().orElseThrow();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as("the dev approver's key")
                    .isEqualTo("rw-------");
        }
        assertThat(children).as("the registry and ClickHouse ran as children").hasSizeGreaterThanOrEqualTo(2);
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(workDir.resolve("stack.properties")).doesNotExist();
    }

    @Test
    void shouldRunAScriptedDevSessionThatAlertsOnInjectedAnomaliesFillsEveryTableAndStopsByItself() throws Exception {
        Path workDir = Files.createTempDirectory(Path.of("target"), "it-dev-for-");
        Path output = workDir.resolve("dev.out");
        Process dev = vigil(output, "dev", "--any-ports", "--simulate", "3", "--backfill", "2h", "--for", "75s", "--work-dir", workDir.toString());

        assertThat(dev.waitFor(5, TimeUnit.MINUTES)).as("vigil dev --for stops by itself").isTrue();
        List<ProcessHandle> left = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(workDir.toString())).toList();
        String printed = Files.readString(output, StandardCharsets.UTF_8);

        assertThat(dev.exitValue()).as(printed).isZero();
        assertThat(printed).contains("Simulator: 3 hosts x 50 series, PT2H of history first", "Vigil dev | ingest", "Open alerts: ",
                "Remediation (dry run): ", "Stopped cleanly.");
        Matcher rows = Pattern.compile("ClickHouse rows: vigil_samples=(\\d+) vigil_rollups=(\\d+) vigil_forecasts=(\\d+)"
                + " vigil_alerts=(\\d+) vigil_remediation_audit=(\\d+)").matcher(printed);
        assertThat(rows.find()).as(printed).isTrue();
        for (int table = 1; table <= 5; table++) {
            assertThat(Long.parseLong(rows.group(table))).as("rows in table %d of %s", table, rows.group()).isPositive();
        }
        Matcher alerts = Pattern.compile("Open alerts: (\\d+)").matcher(printed);
        long mostOpen = 0;
        while (alerts.find()) {
            mostOpen = Math.max(mostOpen, Long.parseLong(alerts.group(1)));
        }
        assertThat(mostOpen).as("alerts on the injected anomalies").isPositive();
        assertThat(left).as("no process left behind").isEmpty();
    }

    @Test
    void shouldStartDetachedReportStatusAndStop() throws Exception {
        Path workDir = Files.createTempDirectory(Path.of("target"), "it-stack-");

        Result started = vigilToEnd("stack", "start", "--detach", "--any-ports", "--work-dir", workDir.toString());
        Result status = vigilToEnd("stack", "status", "--work-dir", workDir.toString());
        Result topics = vigilToEnd("topics", "create", "--work-dir", workDir.toString());
        Result described = vigilToEnd("topics", "describe", "--work-dir", workDir.toString());
        Result stopped = vigilToEnd("stack", "stop", "--work-dir", workDir.toString());
        Result after = vigilToEnd("stack", "status", "--work-dir", workDir.toString());

        assertThat(started.code()).as(started.output()).isZero();
        assertThat(status.code()).as(status.output()).isZero();
        assertThat(status.output()).contains("[up]   Kafka bootstrap", "[up]   Schema registry", "[up]   ClickHouse HTTP");
        assertThat(topics.code()).as(topics.output()).isZero();
        assertThat(topics.output()).contains("vigil.metrics                  created, 6 partition(s)");
        assertThat(described.output()).contains("vigil.remediation.audit").contains("forever");
        assertThat(stopped.output()).contains("Stopped.");
        assertThat(after.code()).isEqualTo(ExitCodes.NOT_RUNNING);
    }

    private record Result(int code, String output) {
    }

    private static Result vigilToEnd(String... args) throws IOException, InterruptedException {
        Path output = Files.createTempFile(Path.of("target"), "vigil-", ".out");
        Process process = vigil(output, args);
        if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("vigil " + String.join(" ", args) + " did not finish: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static Process vigil(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.logFile=" + output.resolveSibling(output.getFileName() + ".log"), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static void awaitLine(Process process, Path output, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (printed.contains(line)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("vigil exited with " + process.exitValue() + " before printing '" + line + "':\n" + printed);
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("vigil did not print '" + line + "' within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
