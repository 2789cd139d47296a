package dev.vigil.collectors.agent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.ActionParameters;
import dev.vigil.actions.CommandExecutor;
import dev.vigil.actions.CommandSpec;
import dev.vigil.avro.HostCommand;
import dev.vigil.avro.HostCommandResult;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;

/**
 * The agent's half of the host-agent executor: reads the commands for this host (only the partition its host
 * id hashes to, and only records keyed by it), runs those in its own allow-list with the shared
 * {@link CommandExecutor}, and publishes each result. It trusts nothing it is sent: an action outside the
 * allow-list, an unsafe parameter or a command past its deadline is refused, and the refusal is the result.
 */
final class HostCommandListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HostCommandListener.class);

    private final String hostId;
    private final Map<String, CommandSpec> actions;
    private final KafkaConsumer<String, HostCommand> consumer;
    private final KafkaProducer<String, HostCommandResult> results;
    private final CommandExecutor executor = new CommandExecutor();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    HostCommandListener(AgentConfig config, AvroSerdes serdes) {
        this.hostId = config.hostId();
        this.actions = config.actions();
        Topics topics = new Topics(serdes);
        Map<String, Object> consumerConfig = new HashMap<>(config.kafka());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-agent-" + hostId); // for its committed position only
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"); // a new agent does not run old commands
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), topics.hostCommands().valueSerde().deserializer());
        Map<String, Object> producerConfig = new HashMap<>(config.kafka());
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.results = new KafkaProducer<>(producerConfig, new StringSerializer(), topics.hostCommandResults().valueSerde().serializer());
        this.thread = new Thread(this::run, "vigil-agent-commands");
    }

    void start() {
        int partitions = consumer.partitionsFor(Topics.HOST_COMMANDS.name(), Duration.ofSeconds(30)).size();
        // The producer's default partitioner puts a key on murmur2(key) mod partitions: this host's commands are there.
        TopicPartition mine = new TopicPartition(Topics.HOST_COMMANDS.name(),
                Utils.toPositive(Utils.murmur2(hostId.getBytes(StandardCharsets.UTF_8))) % partitions);
        consumer.assign(List.of(mine));
        consumer.position(mine, Duration.ofSeconds(30)); // resolve the start position now, before any command is sent
        thread.start();
        log.info("Taking remediation commands for {} from {}; allowed actions {}", hostId, mine, actions.keySet());
    }

    private void run() {
        try {
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, HostCommand> record : consumer.poll(Duration.ofMillis(500))) {
                        if (hostId.equals(record.key())) {
                            publish(handle(record.value(), actions, executor, Instant.now()), record.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    log.warn("Skipping a command that cannot be read at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            // close()
        } catch (RuntimeException e) {
            log.error("The command listener stopped; this host takes no more commands", e);
        } finally {
            consumer.close();
        }
    }

    /** Runs the command if this host allows it; the outcome, or why not. */
    static ActionOutcome handle(HostCommand command, Map<String, CommandSpec> actions, CommandExecutor executor, Instant now) {
        if (now.isAfter(command.getDeadline())) {
            return new ActionOutcome(false, "refused: past its deadline " + command.getDeadline());
        }
        CommandSpec action = actions.get(command.getAction());
        if (action == null) {
            return new ActionOutcome(false, "refused: action '" + command.getAction() + "' is not in this host's allow-list " + actions.keySet());
        }
        String unsafe = ActionParameters.firstUnsafe(command.getParameters());
        if (unsafe != null) {
            return new ActionOutcome(false, "refused: parameter '" + unsafe + "' is not allowed (" + ActionParameters.rule() + ")");
        }
        try {
            return executor.run(action, command.getParameters());
        } catch (IllegalArgumentException e) {
            return new ActionOutcome(false, "refused: " + e.getMessage());
        }
    }

    private void publish(ActionOutcome outcome, HostCommand command) {
        log.info("Command {} ({}) for decision {}: {}", command.getCommandId(), command.getAction(), command.getDecisionId(),
                outcome.succeeded() ? "succeeded" : outcome.detail());
        try {
            results.send(new ProducerRecord<>(Topics.HOST_COMMAND_RESULTS.name(), hostId, new HostCommandResult(command.getCommandId(), hostId,
                    outcome.succeeded(), outcome.detail(), Instant.now()))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the result of command " + command.getCommandId() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        results.close(Duration.ofSeconds(5));
    }
}
