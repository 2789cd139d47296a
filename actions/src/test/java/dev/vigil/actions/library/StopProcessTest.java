package dev.vigil.actions.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.vigil.actions.ActionOutcome;

/** stop-process on real processes: one that ends on SIGTERM, one that ignores it, and ones it must not touch. */
class StopProcessTest {

    private final RunningProcesses processes = new RunningProcesses();

    @AfterEach
    void stop() {
        processes.close();
    }

    private static LibraryAction stop(String... processes) {
        return Contexts.define("stop-process", Map.of("processes", List.of(processes), "grace", "1s"));
    }

    @Test
    void shouldStopAProcessWithSigterm() throws Exception {
        Process sleeper = processes.start("/bin/sleep", "300");

        ActionOutcome outcome = processes.context().run(stop("/usr/bin/sleep"), Map.of("pid", Long.toString(sleeper.pid())));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.detail()).matches("stopped pid " + sleeper.pid() + " \\(/usr/bin/sleep\\) with SIGTERM after \\d+ ms");
        assertThat(sleeper.waitFor()).as("ended by SIGTERM").isEqualTo(128 + 15);
    }

    @Test
    void shouldKillAProcessThatIgnoresSigtermAfterItsGrace() throws Exception {
        Process stubborn = processes.start("/usr/bin/perl", "-e", "$SIG{TERM} = 'IGNORE'; sleep 300");
        long before = System.nanoTime();

        ActionOutcome outcome = processes.context().run(stop("perl"), Map.of("pid", Long.toString(stubborn.pid())));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.detail()).isEqualTo("pid " + stubborn.pid() + " (/usr/bin/perl) did not stop within 1 s of SIGTERM; killed with SIGKILL");
        assertThat(stubborn.waitFor()).isEqualTo(128 + 9);
        assertThat((System.nanoTime() - before) / 1_000_000).as("the grace was waited out").isGreaterThanOrEqualTo(1000);
    }

    @Test
    void shouldLeaveAloneWhatTheAllowListLacksAndWhatIsNeverToBeStopped() throws Exception {
        Process sleeper = processes.start("/bin/sleep", "300");
        LibraryAction action = stop("stress");

        ActionOutcome notListed = processes.context().run(action, Map.of("pid", Long.toString(sleeper.pid())));
        ActionOutcome init = processes.context().run(stop("init", "systemd", "sleep"), Map.of("pid", "1"));
        ActionOutcome parent = processes.context().run(stop("java", "bash", "sh", "mvn"),
                Map.of("pid", Long.toString(ProcessHandle.current().parent().orElseThrow().pid())));
        ActionOutcome gone = processes.context().run(action, Map.of("pid", "999999999"));
        ActionOutcome notAPid = processes.context().run(action, Map.of("pid", "abc"));

        assertThat(notListed.succeeded()).isFalse();
        assertThat(notListed.detail()).isEqualTo("pid " + sleeper.pid() + " runs /usr/bin/sleep, which 'processes' does not list [stress]");
        assertThat(sleeper.isAlive()).isTrue();
        assertThat(init.detail()).isEqualTo("pid 1 is refused: never pid 1 or below");
        assertThat(parent.detail()).endsWith("is refused: it is this JVM or one of its parents");
        assertThat(gone.detail()).isEqualTo("no process with pid 999999999 is running");
        assertThat(notAPid.detail()).isEqualTo("pid 'abc' is not a process id");
        assertThat(action.refusal(Map.of("pid", "1"))).contains("parameter 'pid' must be a process id above 1, got 1");
    }
}
