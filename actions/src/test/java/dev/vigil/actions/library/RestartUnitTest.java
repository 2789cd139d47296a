package dev.vigil.actions.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.actions.ActionOutcome;

/**
 * restart-unit against a test double of systemctl: systemd is not the service manager on the machines the tests run
 * on, so the double is a real executable (a script the test writes) that records its arguments and answers
 * {@code is-active} as a unit coming up would.
 */
class RestartUnitTest {

    @TempDir
    Path dir;

    private final ActionContext context = Contexts.onThisMachine();

    @AfterEach
    void close() {
        context.close();
    }

    /** A systemctl that logs each call, then answers {@code is-active} with {@code states}, one per call, the last one after. */
    private Path systemctl(int restartExit, String... states) throws IOException {
        Path script = dir.resolve("systemctl");
        Files.writeString(dir.resolve("states"), String.join("\n", states) + "\n");
        Files.writeString(script, """
                #!/bin/bash
                echo "$*" >> %1$s/calls
                case "$1" in
                  restart) echo 0 > %1$s/asked; exit %2$d ;;
                  is-active)
                    n=$(( $(cat %1$s/asked) + 1 )); echo $n > %1$s/asked
                    state=$(sed -n "${n}p" %1$s/states); [ -z "$state" ] && state=$(tail -n 1 %1$s/states)
                    echo "$state"; [ "$state" = active ] ;;
                esac
                """.formatted(dir, restartExit));
        assertThat(script.toFile().setExecutable(true)).isTrue();
        return script;
    }

    private List<String> calls() throws IOException {
        return Files.exists(dir.resolve("calls")) ? Files.readAllLines(dir.resolve("calls")) : List.of();
    }

    private LibraryAction restart(Path systemctl, String activeWithin) {
        return Contexts.define("restart-unit", Map.of("units", List.of("nginx.service", "app@*.service"), "systemctl", systemctl.toString(),
                "active_within", activeWithin));
    }

    @Test
    void shouldRestartTheUnitAndWaitUntilItIsActiveAgain() throws IOException {
        LibraryAction action = restart(systemctl(0, "activating", "activating", "active"), "10s");

        ActionOutcome outcome = context.run(action, Map.of("unit", "nginx.service"));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.detail()).matches("nginx\\.service restarted and active again after \\d+ ms");
        assertThat(calls()).containsExactly("restart nginx.service", "is-active nginx.service", "is-active nginx.service", "is-active nginx.service");
    }

    @Test
    void shouldFailWhenTheUnitIsNotActiveInTime() throws IOException {
        LibraryAction action = restart(systemctl(0, "failed"), "1s");

        ActionOutcome outcome = context.run(action, Map.of("unit", "app@blue.service"));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.detail()).isEqualTo("app@blue.service restarted but not active within 1 s: is-active says 'failed'");
        assertThat(calls()).first().isEqualTo("restart app@blue.service");
    }

    @Test
    void shouldFailWhenTheRestartFails() throws IOException {
        LibraryAction action = restart(systemctl(5, "active"), "10s");

        ActionOutcome outcome = context.run(action, Map.of("unit", "nginx.service"));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.detail()).startsWith("systemctl restart nginx.service failed: exit 5 ");
        assertThat(calls()).containsExactly("restart nginx.service");
    }

    @Test
    void shouldRefuseAUnitTheAllowListLacksWithoutCallingSystemctl() throws IOException {
        LibraryAction action = restart(systemctl(0, "active"), "10s");

        ActionOutcome sshd = context.run(action, Map.of("unit", "sshd.service"));
        ActionOutcome plainApp = context.run(action, Map.of("unit", "app.service"));

        assertThat(sshd.succeeded()).isFalse();
        assertThat(sshd.detail()).isEqualTo("unit 'sshd.service' is refused: 'units' allows [nginx.service, app@*.service]");
        assertThat(plainApp.succeeded()).isFalse();
        assertThat(calls()).isEmpty();
        assertThat(action.refusal(Map.of("unit", "sshd.service"))).contains("parameter 'unit' is sshd.service, which 'units' does not allow "
                + "[nginx.service, app@*.service]");
        assertThat(action.refusal(Map.of("unit", "{{label.unit}}"))).isEmpty();
    }
}
