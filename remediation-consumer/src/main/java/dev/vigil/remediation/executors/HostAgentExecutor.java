package dev.vigil.remediation.executors;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.avro.HostCommand;
import dev.vigil.avro.HostCommandResult;
import dev.vigil.schemas.Topics;

/**
 * The remediation consumer's half of the host-agent executor: sends the action to the host's agent on
 * {@code vigil.host.commands} (keyed by host) and waits for its result on {@code vigil.host.command.results}.
 * The agent runs only what its own allow-list holds; a host that does not answer by the deadline is a
 * failure, and the agent will not run the command after it either.
 */
public final class HostAgentExecutor implements AutoCloseable {

    private final KafkaProducer<String, HostCommand> commands;
    private final KafkaConsumer<String, HostCommandResult> results;
    private final Map<String, CompletableFuture<HostCommandResult>> waiting = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final Duration timeout;

    public HostAgentExecutor(Map<String, Object> kafka, Topics topics, Duration timeout) {
        this.timeout = timeout;
        Map<String, Object> producerConfig = new HashMap<>(kafka);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.commands = new KafkaProducer<>(producerConfig, new StringSerializer(), topics.hostCommands().valueSerde().serializer());
        Map<String, Object> consumerConfig = new HashMap<>(kafka);
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.results = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), topics.hostCommandResults().valueSerde().deserializer());
        List<TopicPartition> partitions = results.partitionsFor(Topics.HOST_COMMAND_RESULTS.name(), Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        results.assign(partitions);
        results.seekToEnd(partitions);
        partitions.forEach(partition -> results.position(partition, Duration.ofSeconds(30))); // only results from now on
        this.thread = new Thread(this::collect, "vigil-remediation-host-results");
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends {@code action} to {@code host}'s agent and waits for its result, at most the timeout. */
    public ActionOutcome run(String host, String action, Map<String, String> parameters, String decisionId, String commandId) {
        Instant now = Instant.now();
        CompletableFuture<HostCommandResult> result = new CompletableFuture<>();
        waiting.put(commandId, result);
        try {
            commands.send(new ProducerRecord<>(Topics.HOST_COMMANDS.name(), host, new HostCommand(commandId, host, action, parameters,
                    decisionId, now, now.plus(timeout)))).get(30, TimeUnit.SECONDS);
            HostCommandResult answer = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ActionOutcome(answer.getSucceeded(), "host " + host + ": " + answer.getDetail());
        } catch (TimeoutException e) {
            return new ActionOutcome(false, "no result from host " + host + " within " + timeout);
        } catch (ExecutionException e) {
            return new ActionOutcome(false, "cannot send the command to host " + host + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ActionOutcome(false, "interrupted");
        } finally {
            waiting.remove(commandId);
        }
    }

    private void collect() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, HostCommandResult> record : results.poll(Duration.ofMillis(200))) {
                    CompletableFuture<HostCommandResult> future = waiting.get(record.value().getCommandId());
                    if (future != null) {
                        future.complete(record.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // close()
        } finally {
            results.close();
        }
    }

    @Override
    public void close() {
        running.set(false);
        results.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commands.close(Duration.ofSeconds(5));
    }
}
