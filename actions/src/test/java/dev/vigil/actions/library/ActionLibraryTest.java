package dev.vigil.actions.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.actions.ActionSettingException;

/** Each kind's settings, checked when the policy loads: every refusal names the key and says why. */
class ActionLibraryTest {

    @TempDir
    Path dir;

    private static void assertRefused(String kind, Map<String, ?> settings, String key, String reason) {
        assertThatThrownBy(() -> Contexts.define(kind, settings)).isInstanceOf(ActionSettingException.class)
                .hasMessageContaining(reason).satisfies(e -> assertThat(((ActionSettingException) e).key()).isEqualTo(key));
    }

    @Test
    void shouldListEveryKind() {
        assertThat(ActionLibrary.kinds()).containsExactly("restart-unit", "clean-files", "throttle-cpu", "restore-cpu", "stop-process", "rotate-log");
    }

    @Test
    void shouldRefuseBadSettingsNamingTheKey() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir);
        String tmp = dir.toString();

        assertRefused("reboot", Map.of(), "kind", "unknown kind 'reboot'; known: [restart-unit, clean-files");
        assertRefused("clean-files", Map.of("directories", List.of(tmp), "older_than", "2d"), null, "'target_use' is missing");
        assertRefused("clean-files", Map.of("directories", List.of(tmp), "older_than", "2d", "target_use", "80"), "target_use",
                "must be a percentage above 0% and at most 99%, such as 80%; got '80'");
        assertRefused("clean-files", Map.of("directories", List.of(tmp), "older_than", "0s", "target_use", "80%"), "older_than",
                "must be longer than zero");
        assertRefused("clean-files", Map.of("directories", List.of(tmp), "older_thn", "2d", "target_use", "80%"), "older_thn",
                "unknown key 'older_thn' in library action 'test' (clean-files); known: [directories, dry_run, older_than, target_use]");
        assertRefused("clean-files", Map.of("directories", List.of(link.toString()), "older_than", "2d", "target_use", "80%"), "directories",
                "lists " + link + ", which is really " + dir + "; write the real path");
        assertRefused("clean-files", Map.of("directories", List.of("var/tmp"), "older_than", "2d", "target_use", "80%"), "directories",
                "lists var/tmp, which is not an absolute path to a directory");
        assertRefused("rotate-log", Map.of("directories", List.of("/")), "directories", "must not allow the whole file system (/)");
        assertRefused("restart-unit", Map.of("units", List.of("nginx; reboot")), "units", "lists 'nginx; reboot', which is no unit name");
        assertRefused("restart-unit", Map.of("units", List.of("nginx.service"), "systemctl", "/nonexistent/systemctl"), "systemctl",
                "must be an absolute path to an executable file");
        assertRefused("throttle-cpu", Map.of("processes", List.of("stress"), "cpu_max", "20%", "method", "freeze"), "method",
                "'method' must be auto, cgroup or renice, got 'freeze'");
        assertRefused("throttle-cpu", Map.of("processes", List.of("bin/stress"), "cpu_max", "20%"), "processes",
                "neither an absolute path to an executable nor the bare name of one");
        assertRefused("stop-process", Map.of("grace", "10s"), null, "'processes' is missing");
    }

    @Test
    void shouldRefuseParameterTemplatesThatCanNeverBeInsideTheAllowList() {
        LibraryAction clean = Contexts.define("clean-files", Map.of("directories", List.of(dir.toString()), "older_than", "2d", "target_use", "80%"));

        assertThat(clean.refusal(Map.of("directory", dir + "/{{label.app}}"))).isEmpty();
        assertThat(clean.refusal(Map.of("directory", dir + "/cache"))).isEmpty();
        assertThat(clean.refusal(Map.of("directory", "/etc"))).contains("parameter 'directory' is /etc, outside the allow-list [" + dir + "]");
        assertThat(clean.refusal(Map.of("directory", "{{label.dir}}"))).contains("parameter 'directory' is {{label.dir}}, which does not start "
                + "inside the allow-list [" + dir + "]");
        assertThat(clean.refusal(Map.of("directory", dir + "{{label.app}}"))).isPresent();
        assertThat(clean.refusal(Map.of("directory", dir + "/../etc"))).isPresent();
    }
}
