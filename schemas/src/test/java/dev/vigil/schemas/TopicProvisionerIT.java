package dev.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;

@ExtendWith(LocalStackExtension.class)
class TopicProvisionerIT {

    @Test
    void shouldCreateEveryTopicOnceWithItsSettingsAndReportExistingOnesAfterwards(StackEndpoints stack) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            var provisioner = new TopicProvisioner(admin);

            List<TopicProvisioner.Outcome> first = provisioner.ensure(Topics.ALL, Optional.of(4), (short) 1);
            // Regression: KRaft lists a new topic a little after the create call returns; `vigil dev` once
            // created the topics and then failed to start the streams app because two were not listed yet.
            assertThat(provisioner.describe(Topics.ALL)).as("every topic listed as soon as ensure returns")
                    .allMatch(TopicProvisioner.State::exists);
            List<TopicProvisioner.Outcome> second = provisioner.ensure(Topics.ALL, Optional.of(4), (short) 1);
            List<TopicProvisioner.State> states = provisioner.describe(Topics.ALL);

            assertThat(first).allMatch(TopicProvisioner.Outcome::created);
            assertThat(second).noneMatch(TopicProvisioner.Outcome::created).allMatch(o -> o.warning().isEmpty());
            assertThat(states).allMatch(TopicProvisioner.State::exists);
            TopicProvisioner.State metrics = states.get(0);
            assertThat(metrics.spec()).isEqualTo(Topics.METRICS);
            assertThat(metrics.partitions()).isEqualTo(4);
            assertThat(metrics.configs()).containsEntry("retention.ms", Topics.METRICS.configs().get("retention.ms"));
            TopicProvisioner.State audit = states.stream().filter(s -> s.spec() == Topics.REMEDIATION_AUDIT).findFirst().orElseThrow();
            assertThat(audit.partitions()).as("the audit chain keeps one partition whatever the override").isEqualTo(1);
            assertThat(audit.configs()).containsEntry("retention.ms", "-1");
        }
    }
}
