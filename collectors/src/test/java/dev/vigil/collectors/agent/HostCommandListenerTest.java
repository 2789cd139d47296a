package dev.vigil.collectors.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.CommandExecutor;
import dev.vigil.actions.CommandSpec;
import dev.vigil.avro.HostCommand;

/** The agent trusts nothing it is sent: only its own allow-list, safe parameters, before the deadline. */
class HostCommandListenerTest {

    private static final Instant NOW = Instant.parse("2026-11-02T12:00:00Z");

    @TempDir
    Path dir;

    private Map<String, CommandSpec> actions() throws IOException {
        Path script = dir.resolve("restart.sh");
        Files.writeString(script, "#!/bin/bash\necho \"restarting $1\"\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        return Map.of("restart", new CommandSpec("restart", script, List.of("{{unit}}"), Duration.ofSeconds(10)));
    }

    private static HostCommand command(String action, Map<String, String> parameters, Instant deadline) {
        return new HostCommand("c1", "edge-01", action, parameters, "d1", NOW.minusSeconds(1), deadline);
    }

    private ActionOutcome handle(HostCommand command) throws IOException {
        return HostCommandListener.handle(command, actions(), new CommandExecutor(), NOW);
    }

    @Test
    void shouldRunAnAllowedActionWithItsParameters() throws IOException {
        ActionOutcome outcome = handle(command("restart", Map.of("unit", "app.service"), NOW.plusSeconds(60)));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.detail()).contains("restarting app.service");
    }

    @Test
    void shouldRefuseWhatItsAllowListDoesNotHaveUnsafeParametersAndLateCommands() throws IOException {
        assertThat(handle(command("reboot", Map.of(), NOW.plusSeconds(60))).detail())
                .startsWith("refused: action 'reboot' is not in this host's allow-list");
        assertThat(handle(command("restart", Map.of("unit", "--all"), NOW.plusSeconds(60))).detail())
                .startsWith("refused: parameter 'unit' is not allowed");
        assertThat(handle(command("restart", Map.of("unit", "../../etc/passwd"), NOW.plusSeconds(60))).succeeded()).isFalse();
        assertThat(handle(command("restart", Map.of("unit", "app.service"), NOW.minusSeconds(1))).detail())
                .startsWith("refused: past its deadline");
        assertThat(handle(command("restart", Map.of(), NOW.plusSeconds(60))).detail())
                .isEqualTo("refused: command restart needs parameter 'unit'");
    }
}
