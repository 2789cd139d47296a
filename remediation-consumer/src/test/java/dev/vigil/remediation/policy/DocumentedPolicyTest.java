package dev.vigil.remediation.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.remediation.Alerts;

/** The example policy in docs/remediation.md parses and means what the text says. */
class DocumentedPolicyTest {

    @Test
    void shouldParseTheExampleInTheDocs() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "remediation.md"));
        String yaml = doc.substring(doc.indexOf("```yaml\n") + 8, doc.indexOf("```", doc.indexOf("```yaml\n") + 8))
                // The executables of the example need not exist on the machine running the tests.
                .replaceAll("executable: /[^,]+,", "executable: /bin/echo,");

        Policy policy = PolicyParser.parse(yaml);

        assertThat(policy.dryRun()).isTrue();
        assertThat(policy.rules()).extracting(Rule::name).containsExactly("restart-nginx", "clean-tmp", "throttle-runaway", "escalate-host",
                "restart-on-host");
        assertThat(policy.commands()).containsOnlyKeys("restart-unit", "reload-last", "clean-tmp", "renice");
        Verification nginx = policy.rules().get(0).verification().orElseThrow();
        assertThat(nginx.within()).isEqualTo(Duration.ofMinutes(10));
        assertThat(nginx.metric()).as("fixed means the alert resolves").isEmpty();
        assertThat(nginx.undo().orElseThrow().id()).isEqualTo("command:reload-last");
        assertThat(nginx.escalation().orElseThrow().id()).isEqualTo("webhook:oncall");
        Verification runaway = policy.rules().get(2).verification().orElseThrow();
        assertThat(runaway.metric()).contains("system.cpu.load_average.1m");
        assertThat(runaway.samples()).isEqualTo(3);
        assertThat(policy.rules().get(1).action().resolve(Alerts.opened("a", "web-01", "system.filesystem.utilization", Map.of("app", "billing"))))
                .containsEntry("dir", "/var/tmp/billing");
        assertThat(policy.rules().get(2).requiresApproval()).isTrue();
    }
}
