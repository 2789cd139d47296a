package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirGuardTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldTrustTheStateOfAFirstStartAndOfOneAfterACleanStop() {
        try (StateDirGuard first = StateDirGuard.acquire(stateDir.resolve("new"), "app")) {
            assertThat(first.previousRunDied()).isFalse();
            first.releaseClean();
        }
        try (StateDirGuard second = StateDirGuard.acquire(stateDir.resolve("new"), "app")) {
            assertThat(second.previousRunDied()).isFalse();
        }
    }

    @Test
    void shouldTellARunThatNeverStoppedCleanly() {
        StateDirGuard crashed = StateDirGuard.acquire(stateDir, "app");
        crashed.close(); // what the OS does to the lock of a process that dies: the mark stays
        try (StateDirGuard next = StateDirGuard.acquire(stateDir, "app")) {
            assertThat(next.previousRunDied()).isTrue();
            next.releaseClean();
        }
        try (StateDirGuard afterThat = StateDirGuard.acquire(stateDir, "app")) {
            assertThat(afterThat.previousRunDied()).isFalse();
        }
    }

    @Test
    void shouldRefuseASecondInstanceOnTheSameStateDirButNotAnotherApplication() {
        try (StateDirGuard running = StateDirGuard.acquire(stateDir, "app");
             StateDirGuard other = StateDirGuard.acquire(stateDir, "other-app")) {
            assertThat(other.previousRunDied()).isFalse();
            assertThatThrownBy(() -> StateDirGuard.acquire(stateDir, "app"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another instance of app")
                    .hasMessageContaining("give each instance its own state.dir");
        }
    }
}
