package dev.vigil.schemas;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates and describes Vigil's topics from their {@link TopicSpec}s with a Kafka {@link Admin}.
 *
 * <p>Creation is idempotent: a topic that already exists is left as it is and reported, with a warning
 * when its partition count differs from what was asked (Kafka cannot shrink it, and growing it would
 * move hosts between partitions).
 */
public final class TopicProvisioner {

    private static final long TIMEOUT_SECONDS = 60;

    private final Admin admin;

    public TopicProvisioner(Admin admin) {
        this.admin = Objects.requireNonNull(admin, "admin can't be null");
    }

    /** What happened to one topic. */
    public record Outcome(String topic, boolean created, int partitions, Optional<String> warning) {
    }

    /** The live state of one topic. */
    public record State(TopicSpec spec, Optional<TopicDescription> description, Map<String, String> configs) {

        public boolean exists() {
            return description.isPresent();
        }

        public int partitions() {
            return description.map(d -> d.partitions().size()).orElse(0);
        }

        public int replicationFactor() {
            return description.map(d -> d.partitions().get(0).replicas().size()).orElse(0);
        }
    }

    /**
     * Creates every topic in {@code specs} that does not exist yet.
     *
     * @param partitionsOverride partitions for every topic instead of each spec's default, if present
     * @param replicationFactor  replicas per partition; at most the number of brokers
     */
    public List<Outcome> ensure(Collection<TopicSpec> specs, Optional<Integer> partitionsOverride, short replicationFactor) {
        List<Outcome> outcomes = new ArrayList<>();
        for (TopicSpec spec : specs) {
            int partitions = partitionsOverride.filter(p -> !isSinglePartitionByDesign(spec)).orElse(spec.partitions());
            NewTopic topic = new NewTopic(spec.name(), partitions, replicationFactor).configs(spec.configs());
            try {
                admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                outcomes.add(new Outcome(spec.name(), true, partitions, Optional.empty()));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException("Cannot create topic " + spec.name() + ": " + e.getCause().getMessage(), e.getCause());
                }
                int existing = describe(List.of(spec)).get(0).partitions();
                Optional<String> warning = existing == partitions ? Optional.empty()
                        : Optional.of("exists with " + existing + " partitions, not " + partitions + "; left unchanged");
                outcomes.add(new Outcome(spec.name(), false, existing, warning));
            } catch (TimeoutException e) {
                throw new KafkaException("Timed out creating topic " + spec.name() + " after " + TIMEOUT_SECONDS + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("Interrupted while creating topic " + spec.name(), e);
            }
        }
        awaitListed(outcomes.stream().filter(Outcome::created).map(Outcome::topic).toList());
        return outcomes;
    }

    /**
     * A created topic reaches the metadata every broker serves a little later than the create call returns
     * (KRaft publishes it asynchronously), so a client that checks for it straight away may not see it yet.
     * Waiting here lets callers treat {@link #ensure} as "the topics are there".
     */
    private void awaitListed(List<String> created) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        try {
            while (!created.isEmpty()) {
                var listed = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (listed.containsAll(created)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("Topics " + created.stream().filter(t -> !listed.contains(t)).toList()
                            + " were created but are still not listed after " + TIMEOUT_SECONDS + " s");
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException e) {
            throw new KafkaException("Cannot list topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Timed out listing topics after " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while waiting for new topics to be listed", e);
        }
    }

    /** The live state of each topic in {@code specs}, existing or not. */
    public List<State> describe(Collection<TopicSpec> specs) {
        try {
            var names = specs.stream().map(TopicSpec::name).toList();
            var existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            var present = names.stream().filter(existing::contains).toList();
            Map<String, TopicDescription> descriptions = present.isEmpty() ? Map.of()
                    : admin.describeTopics(present).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<ConfigResource, Config> configs = present.isEmpty() ? Map.of()
                    : admin.describeConfigs(present.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList())
                            .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return specs.stream().map(spec -> new State(spec, Optional.ofNullable(descriptions.get(spec.name())),
                    Optional.ofNullable(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name())))
                            .map(TopicProvisioner::nonDefault).orElse(Map.of()))).toList();
        } catch (ExecutionException e) {
            throw new KafkaException("Cannot describe Vigil's topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Timed out describing Vigil's topics after " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while describing Vigil's topics", e);
        }
    }

    /** The audit chain and the approvals stay on one partition whatever the override: their order is the contract. */
    private static boolean isSinglePartitionByDesign(TopicSpec spec) {
        return spec.partitions() == 1;
    }

    private static Map<String, String> nonDefault(Config config) {
        return config.entries().stream()
                .filter(entry -> entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                .collect(Collectors.toMap(ConfigEntry::name,
                        ConfigEntry::value, (a, b) -> a, TreeMap::new));
    }
}
