package dev.vigil.stack;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Whether each part of a stack answers right now, as a client would see it.
 *
 * @param kafka      the broker lists its nodes to an admin client
 * @param registry   the registry's Confluent API lists subjects
 * @param clickHouse ClickHouse answers {@code /ping}
 */
public record StackHealth(boolean kafka, boolean registry, boolean clickHouse) {

    /** Probes each part, waiting at most a few seconds for each. */
    public static StackHealth check(StackEndpoints endpoints) {
        return new StackHealth(
                kafkaAnswers(endpoints.kafkaBootstrapServers()),
                Http.get(endpoints.schemaRegistryUrl() + "/subjects").isPresent(),
                Http.get(endpoints.clickHouseHttpUrl() + "/ping").map(body -> body.startsWith("Ok")).orElse(false));
    }

    public boolean allUp() {
        return kafka && registry && clickHouse;
    }

    private static boolean kafkaAnswers(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
