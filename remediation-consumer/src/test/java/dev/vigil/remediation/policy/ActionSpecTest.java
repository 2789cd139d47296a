package dev.vigil.remediation.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.remediation.Alerts;

class ActionSpecTest {

    private final ActionSpec clean = new ActionSpec("command", "clean-tmp", Map.of("dir", "/var/tmp/{{label.app}}", "host", "{{host_id}}"));

    @Test
    void shouldFillAlertFieldsIntoParameters() {
        assertThat(clean.resolve(Alerts.opened("a", "web-01", "disk", Map.of("app", "billing"))))
                .containsEntry("dir", "/var/tmp/billing").containsEntry("host", "web-01");
    }

    @Test
    void shouldRefusePathTraversalOptionInjectionAndShellCharactersInAlertFields() {
        for (String hostile : new String[] {"../../etc", "--force", "a b", "x;rm -rf /", "$(id)", "`id`", "a|b", "*", "\nfoo"}) {
            assertThatThrownBy(() -> clean.resolve(Alerts.opened("a", "web-01", "disk", Map.of("app", hostile))))
                    .as(hostile).isInstanceOf(UnsafeParameterException.class).hasMessageContaining("parameter 'dir' ({{label.app}})");
        }
    }

    @Test
    void shouldRefuseAFieldTheAlertDoesNotHave() {
        assertThatThrownBy(() -> clean.resolve(Alerts.opened("a", "web-01", "disk", Map.of())))
                .isInstanceOf(UnsafeParameterException.class).hasMessageContaining("the alert has no such field");
    }
}
