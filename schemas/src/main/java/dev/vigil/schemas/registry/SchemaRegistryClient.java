package dev.vigil.schemas.registry;

import java.io.Closeable;

import org.apache.avro.Schema;

/**
 * The part of the Confluent schema-registry REST API that Vigil's serdes and tools need.
 *
 * <p>Implementations cache what does not change (an id's schema, a subject's id for a schema) and are
 * safe for concurrent use.
 */
public interface SchemaRegistryClient extends Closeable {

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}); a schema
     * the subject already holds is not registered twice.
     *
     * @return the registry's id for the schema
     * @throws SchemaRegistryException when the registry refuses (for example as incompatible) or cannot be reached
     */
    int register(String subject, Schema schema);

    /**
     * Looks up the id of a schema already registered under {@code subject} ({@code POST /subjects/{subject}}).
     *
     * @throws SchemaRegistryException with status 404 when the subject does not hold the schema
     */
    int idOf(String subject, Schema schema);

    /**
     * The schema with registry id {@code id} ({@code GET /schemas/ids/{id}}).
     *
     * @throws SchemaRegistryException with status 404 when no schema has that id
     */
    Schema schemaById(int id);

    /**
     * Whether {@code schema} may be registered next under {@code subject} according to the subject's
     * compatibility level ({@code POST /compatibility/subjects/{subject}/versions/latest}). A subject
     * with no versions yet accepts any schema.
     */
    boolean isCompatible(String subject, Schema schema);

    /** Sets the compatibility level of {@code subject} ({@code PUT /config/{subject}}). */
    void setCompatibility(String subject, Compatibility level);

    /** Compatibility levels as the Confluent API names them. */
    enum Compatibility {
        NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE
    }

    @Override
    void close();
}
