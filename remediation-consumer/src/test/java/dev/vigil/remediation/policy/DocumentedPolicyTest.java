package dev.vigil.remediation.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThat(policy.commands()).containsOnlyKeys("restart-unit", "clean-tmp", "renice");
        assertThat(policy.rules().get(1).action().resolve(Alerts.opened("a", "web-01", "system.filesystem.utilization", Map.of("app", "billing"))))
                .containsEntry("dir", "/var/tmp/billing");
        assertThat(policy.rules().get(2).requiresApproval()).isTrue();
    }
}
