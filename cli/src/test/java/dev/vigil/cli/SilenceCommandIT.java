package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.HostRetirement;
import dev.vigil.avro.Silence;
import dev.vigil.remediation.TopicContents;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;

/** {@code vigil silence add|list|expire} and {@code vigil host retire|reinstate} on the real broker and registry. */
@ExtendWith(LocalStackExtension.class)
class SilenceCommandIT {

    @Test
    void shouldAddListAndExpireASilenceAndRetireAHost(StackEndpoints stack, @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(1), (short) 1);
        }
        Path config = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                "kafka.bootstrap.servers=" + stack.kafkaBootstrapServers(), "schema.registry.url=" + stack.schemaRegistryUrl()));

        StringWriter added = new StringWriter();
        assertThat(run(added, "silence", "add", "--config", config.toString(), "--host", "cli-web-01", "--label", "role=web", "--metric",
                "disk\\..*", "--for", "2h", "--reason", "disk swap", "--as", "alice")).isZero();
        Matcher id = Pattern.compile("Silence (s-[0-9a-f]{16}) from").matcher(added.toString());
        assertThat(id.find()).as(added.toString()).isTrue();
        StringWriter listed = new StringWriter();
        assertThat(run(listed, "silence", "list", "--config", config.toString())).isZero();
        StringWriter expired = new StringWriter();
        assertThat(run(expired, "silence", "expire", id.group(1), "--config", config.toString(), "--as", "bob")).isZero();
        StringWriter again = new StringWriter();
        assertThat(run(again, "silence", "expire", id.group(1), "--config", config.toString(), "--as", "bob")).isEqualTo(ExitCodes.FAILED);
        StringWriter listedAfter = new StringWriter();
        assertThat(run(listedAfter, "silence", "list", "--config", config.toString(), "--all")).isZero();
        assertThat(run(new StringWriter(), "host", "retire", "cli-web-09", "--config", config.toString(), "--reason", "decommissioned",
                "--as", "carol")).isZero();

        assertThat(listed.toString()).containsPattern(id.group(1) + " +active").contains("alice").contains("hosts cli-web-01, labels {role=web}, "
                + "metric disk\\..*: disk swap");
        assertThat(expired.toString()).contains("Silence " + id.group(1) + " ended at").contains("by bob");
        assertThat(listedAfter.toString()).containsPattern(id.group(1) + " +ended").contains("alice, ended by bob");
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()))) {
            List<Silence> versions = TopicContents.readAll(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()), Topics.SILENCES.name(),
                    new Topics(serdes).silences().valueSerde().deserializer()).stream().map(r -> r.value())
                    .filter(s -> s.getSilenceId().equals(id.group(1))).toList();
            assertThat(versions).extracting(Silence::getExpiredBy).containsExactly(null, "bob");
            assertThat(versions.get(0).getHostLabels()).isEqualTo(Map.of("role", "web"));
        }
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()))) {
            assertThat(TopicContents.readAll(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()), Topics.RETIRED_HOSTS.name(),
                    new Topics(serdes).retiredHosts().valueSerde().deserializer())).extracting(r -> r.value())
                    .anySatisfy(value -> {
                        HostRetirement retirement = (HostRetirement) value;
                        assertThat(retirement.getHostId()).isEqualTo("cli-web-09");
                        assertThat(retirement.getRetired()).isTrue();
                        assertThat(retirement.getAuthor()).isEqualTo("carol");
                    });
        }
    }

    private static int run(StringWriter out, String... args) {
        return CommandLineRun.run(out, out, args);
    }
}
