package dev.vigil.streams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.Silence;
import dev.vigil.runtime.security.Untrusted;
import dev.vigil.schemas.SilenceContract;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.registry.SchemaRegistryException;

/**
 * The silences of {@code vigil.silences}, read from the application's global store of that topic
 * ({@link ScoringTopology#SILENCES_STORE}, the records' bytes as the topic holds them), each version decoded and
 * compiled once. A record that cannot be decoded, or breaks {@link SilenceContract}, silences nothing: it is counted
 * ({@code vigil_streams_silences_invalid_total}) and logged once, by the book given the application's metrics. Not
 * thread-safe: one per processor, or per request.
 */
final class SilenceBook {

    private static final Logger log = LoggerFactory.getLogger(SilenceBook.class);

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final Deserializer<Silence> deserializer;
    private final ScoringMetrics metrics;
    private final Map<String, Version> versions = new HashMap<>();

    /** One version of a silence as read: its bytes, and the silence and its scope, both null when it is invalid. */
    private record Version(byte[] bytes, Silence silence, SilenceContract.Scope scope) {
    }

    /** @param metrics where to count invalid silences and registry outages; null to leave that to another book */
    SilenceBook(ReadOnlyKeyValueStore<String, byte[]> store, Deserializer<Silence> deserializer, ScoringMetrics metrics) {
        this.store = store;
        this.deserializer = deserializer;
        this.metrics = metrics;
    }

    /**
     * The id of the silence that covers an alert at {@code now}, the one that ends last when several do (the smaller
     * id on a tie); null when none does.
     *
     * @param metric the alert's metric, null for an alert of a whole host
     */
    String coveringSilence(String hostId, Map<String, String> hostLabels, String metric, long now) {
        SilenceContract.Scope best = null;
        for (Version version : current()) {
            SilenceContract.Scope scope = version.scope();
            if (scope != null && scope.covers(hostId, hostLabels, metric, now) && (best == null || scope.endsAt() > best.endsAt()
                    || scope.endsAt() == best.endsAt() && scope.silenceId().compareTo(best.silenceId()) < 0)) {
                best = scope;
            }
        }
        return best == null ? null : best.silenceId();
    }

    /** Every valid silence, in id order. */
    List<Silence> all() {
        return current().stream().filter(version -> version.silence() != null).map(Version::silence).toList();
    }

    /** The valid silence of that id, or null. */
    Silence get(String silenceId) {
        byte[] bytes = store.get(silenceId);
        return bytes == null ? null : version(silenceId, bytes).silence();
    }

    private List<Version> current() {
        List<Version> current = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (KeyValueIterator<String, byte[]> entries = store.all()) {
            while (entries.hasNext()) {
                KeyValue<String, byte[]> entry = entries.next();
                seen.add(entry.key);
                current.add(version(entry.key, entry.value));
            }
        }
        versions.keySet().retainAll(seen);
        return current;
    }

    private Version version(String key, byte[] bytes) {
        Version known = versions.get(key);
        if (known != null && Arrays.equals(known.bytes(), bytes)) {
            return known;
        }
        Version read = read(key, bytes);
        versions.put(key, read);
        return read;
    }

    private Version read(String key, byte[] bytes) {
        Silence silence;
        try {
            silence = deserializer.deserialize(Topics.SILENCES.name(), bytes);
        } catch (SchemaRegistryException e) {
            // The registry's fault, not the record's: the stream thread fails and is replaced, reading it again later.
            if (metrics != null) {
                metrics.registryUnavailable.increment();
            }
            throw e;
        } catch (RuntimeException e) {
            return invalid(key, bytes, "cannot be decoded: " + e.getMessage());
        }
        if (!key.equals(silence.getSilenceId())) {
            return invalid(key, bytes, "its key is not its silenceId " + silence.getSilenceId());
        }
        List<SilenceContract.Problem> problems = SilenceContract.problems(silence);
        if (!problems.isEmpty()) {
            return invalid(key, bytes, problems.toString());
        }
        return new Version(bytes, silence, SilenceContract.scope(silence));
    }

    private Version invalid(String key, byte[] bytes, String problem) {
        if (metrics == null) {
            return new Version(bytes, null, null);
        }
        metrics.silencesInvalid.increment();
        log.warn("Silence {} on {} silences nothing: {}", Untrusted.quote(key), Topics.SILENCES.name(), Untrusted.quote(problem));
        return new Version(bytes, null, null);
    }
}
