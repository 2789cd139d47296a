package dev.vigil.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** The command executor against real allow-listed scripts. */
class CommandExecutorTest {

    @TempDir
    Path dir;

    private final CommandExecutor executor = new CommandExecutor();

    private Path script(String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/bash\n" + body + "\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        return script;
    }

    @Test
    void shouldPassEachArgumentWholeAndNeverThroughAShell() throws IOException {
        Path echo = script("echo-args.sh", "for a in \"$@\"; do echo \"[$a]\"; done");
        CommandSpec command = new CommandSpec("echo-args", echo, List.of("restart", "{{unit}}", "--host={{host}}"), Duration.ofSeconds(10));

        ActionOutcome outcome = executor.run(command, Map.of("unit", "nginx.service; touch " + dir.resolve("pwned"), "host", "web-01"));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.detail()).startsWith("exit 0").contains("[restart]\n[nginx.service; touch " + dir.resolve("pwned") + "]\n[--host=web-01]");
        assertThat(dir.resolve("pwned")).as("no shell ran the ';'").doesNotExist();
    }

    @Test
    void shouldRunWithAMinimalEnvironmentAndNoInput() throws IOException {
        Path env = script("env.sh", "env | sort; read -t 1 line && echo \"stdin: $line\" || echo 'no stdin'");

        ActionOutcome outcome = executor.run(new CommandSpec("env", env, List.of(), Duration.ofSeconds(10)), Map.of());

        assertThat(outcome.detail()).contains("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "no stdin")
                .doesNotContain("HOME=", "USER=", "JAVA_HOME=", "MAVEN");
    }

    @Test
    void shouldKillACommandAtItsTimeout() throws IOException {
        Path slow = script("slow.sh", "echo started; sleep 30; echo never");
        long started = System.nanoTime();

        ActionOutcome outcome = executor.run(new CommandSpec("slow", slow, List.of(), Duration.ofMillis(500)), Map.of());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.detail()).startsWith("timed out after PT0.5S; killed").contains("started").doesNotContain("never");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldReportFailureAndTruncateLongOutput() throws IOException {
        Path noisy = script("noisy.sh", "yes x | head -c 100000; exit 3");

        ActionOutcome outcome = executor.run(new CommandSpec("noisy", noisy, List.of(), Duration.ofSeconds(10)), Map.of());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.detail()).startsWith("exit 3").contains("(" + (100_000 - CommandExecutor.MAX_OUTPUT) + " more bytes)");
        assertThat(outcome.detail().length()).isLessThan(CommandExecutor.MAX_OUTPUT + 200);
    }
}
