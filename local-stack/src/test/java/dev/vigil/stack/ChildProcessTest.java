package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @TempDir
    Path dir;

    private final String marker = "vigil-test-" + UUID.randomUUID();

    private ChildProcess sleeper() {
        // sh stays the parent of sleep, so the marker stays in the command line the stale check reads.
        return new ChildProcess("sleeper", List.of("sh", "-c", "sleep 300; :", marker), dir.resolve("sleeper.log"),
                dir.resolve("sleeper.pid"), marker);
    }

    @Test
    void shouldStopAChildThatAKilledEarlierRunLeftBehind() {
        ChildProcess orphan = sleeper();
        orphan.start();
        long orphanPid = orphan.pid().orElseThrow();
        // The earlier run dies without stopping its child: only the pid file remembers it.

        ChildProcess next = sleeper();
        next.start();

        try {
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(next.isAlive()).isTrue();
        } finally {
            next.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldLeaveAnUnrelatedProcessAloneEvenIfAStalePidFileNamesIt() throws IOException {
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(dir.resolve("sleeper.pid"), Long.toString(unrelated.pid()));

            ChildProcess child = sleeper();
            child.start();
            child.stop(Duration.ofSeconds(5));

            assertThat(unrelated.isAlive()).isTrue();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void shouldStopTheChildAndItsDescendantsAndForgetThePid() throws InterruptedException {
        ChildProcess child = sleeper();
        child.start();
        ProcessHandle handle = ProcessHandle.of(child.pid().orElseThrow()).orElseThrow();
        TimeUnit.MILLISECONDS.sleep(200); // let sh start sleep
        List<ProcessHandle> descendants = handle.descendants().toList();

        child.stop(Duration.ofSeconds(5));

        assertThat(handle.isAlive()).isFalse();
        assertThat(descendants).isNotEmpty().noneMatch(ProcessHandle::isAlive);
        assertThat(dir.resolve("sleeper.pid")).doesNotExist();
        assertThat(child.pid()).isEmpty();
    }

    @Test
    void shouldReportAnEarlyExitWithTheTailOfTheLog() {
        ChildProcess failing = new ChildProcess("failing", List.of("sh", "-c", "echo port 1234 already in use; exit 3"),
                dir.resolve("failing.log"), dir.resolve("failing.pid"), marker);
        failing.start();

        assertThatThrownBy(() -> failing.awaitReady(() -> false, Duration.ofSeconds(10)))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("failing exited with code 3")
                .hasMessageContaining("port 1234 already in use");
    }

    @Test
    void shouldGiveUpAfterTheTimeoutAndStopTheChild() {
        ChildProcess slow = sleeper();
        slow.start();

        assertThatThrownBy(() -> slow.awaitReady(() -> false, Duration.ofMillis(500)))
                .isInstanceOf(StackException.class).hasMessageContaining("was not ready within");
        assertThat(slow.isAlive()).isFalse();
    }
}
