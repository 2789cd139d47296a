package dev.vigil.runtime.config;

import java.util.Map;
import java.util.TreeMap;

/** The settings Vigil's services share: where Kafka and the schema registry are, and where their HTTP endpoint listens. */
public final class CommonKeys {

    public static final ConfigKey<String> KAFKA_BOOTSTRAP_SERVERS = ConfigKey.string("kafka.bootstrap.servers").required()
            .doc("Kafka's brokers, `host:port,host:port`");

    public static final ConfigKey<String> SCHEMA_REGISTRY_URL = ConfigKey.string("schema.registry.url").required()
            .doc("the schema registry's base URLs, comma-separated ([schema-registry.md](schema-registry.md))");

    /**
     * The registry client's settings, passed on as they are to {@code AvroSerdes} (module schemas), whose
     * {@code SchemaRegistryConfig} defines and checks them; the names are Confluent's, so its serdes read the same map.
     */
    public static final ConfigDefinition SCHEMA_REGISTRY = ConfigDefinition.of("the schema registry client")
            .with(SCHEMA_REGISTRY_URL)
            .passingOn("schema.registry.", "the registry client's other settings: TLS, timeouts, retries ([schema-registry.md](schema-registry.md))")
            .passingOn("basic.auth.", "registry credentials: `basic.auth.user.info` (from `VIGIL_BASIC_AUTH_USER_INFO`), "
                    + "`basic.auth.credentials.source`")
            .passingOn("auto.register.schemas", "`false`: only look writer schemas up, never register them (for readers)")
            .passingOn("vigil.avro.serde.class", "a replacement Avro `Serde` class, such as Confluent's ([schema-registry.md](schema-registry.md))");

    private CommonKeys() {
    }

    /** {@code kafka.bootstrap.servers} and every other {@code kafka.*} key, which go to {@code clients} without the prefix. */
    public static ConfigDefinition kafka(String clients) {
        return ConfigDefinition.of("the Kafka clients").with(KAFKA_BOOTSTRAP_SERVERS)
                .passingOn("kafka.", "every other `kafka.*` key, without the prefix, goes to " + clients);
    }

    /** The address of a service's endpoint; {@code serves} says what it serves. */
    public static ConfigKey<String> httpHost(String serves) {
        return ConfigKey.string("http.host").withDefault("127.0.0.1").doc("address of " + serves);
    }

    /** The port of a service's endpoint. */
    public static ConfigKey<Integer> httpPort(int port) {
        return ConfigKey.integer("http.port", 0, 65_535).withDefault(port).doc("its port; 0 picks a free one");
    }

    /** The Kafka client settings: every {@code kafka.*} key without the prefix, SASL and TLS included. */
    public static Map<String, Object> kafkaClient(ConfigValues values) {
        Map<String, Object> kafka = new TreeMap<>();
        values.passedOn("kafka.").forEach((key, value) -> kafka.put(key.substring("kafka.".length()), value));
        kafka.put("bootstrap.servers", values.get(KAFKA_BOOTSTRAP_SERVERS));
        return kafka;
    }

    /** The schema registry client settings, keys whole: the URL and every key {@link #SCHEMA_REGISTRY} passes on. */
    public static Map<String, Object> schemaRegistry(ConfigValues values) {
        Map<String, Object> registry = new TreeMap<>(values.passedOn(SCHEMA_REGISTRY));
        registry.put(SCHEMA_REGISTRY_URL.name(), values.get(SCHEMA_REGISTRY_URL));
        return registry;
    }
}
