package dev.vigil.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A registry held in memory, for unit tests, benchmarks and offline tools: the same contract as
 * {@link RestSchemaRegistryClient}, with ids handed out from 1 in registration order and BACKWARD
 * compatibility enforced per subject unless set otherwise.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
    private final Map<String, Compatibility> compatibilityBySubject = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) {
            if (!isCompatible(subject, schema)) {
                throw new SchemaRegistryException("Schema being registered is incompatible with an earlier schema for subject "
                        + subject, 409, 409, null);
            }
            versions.add(schema);
        }
        return idsBySchema.computeIfAbsent(schema, s -> {
            int id = schemasById.size() + 1;
            schemasById.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        if (!versionsBySubject.getOrDefault(subject, List.of()).contains(schema)) {
            throw new SchemaRegistryException("Schema not found under subject " + subject, 404, 40403, null);
        }
        return idsBySchema.get(schema);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404, 40403, null);
        }
        return schema;
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
        Compatibility level = compatibilityBySubject.getOrDefault(subject, Compatibility.BACKWARD);
        if (versions.isEmpty() || level == Compatibility.NONE) {
            return true;
        }
        List<Schema> checked = level.name().endsWith("TRANSITIVE") ? versions : List.of(versions.get(versions.size() - 1));
        for (Schema earlier : checked) {
            boolean backward = canRead(schema, earlier);
            boolean forward = canRead(earlier, schema);
            boolean ok = switch (level) {
                case BACKWARD, BACKWARD_TRANSITIVE -> backward;
                case FORWARD, FORWARD_TRANSITIVE -> forward;
                case FULL, FULL_TRANSITIVE -> backward && forward;
                case NONE -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void setCompatibility(String subject, Compatibility level) {
        compatibilityBySubject.put(subject, level);
    }

    @Override
    public void close() {
    }

    private static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType() == SchemaCompatibilityType.COMPATIBLE;
    }
}
