package dev.vigil.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
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

    /** The name of every service's {@link #httpHost} key. */
    public static final String HTTP_HOST_NAME = "http.host";

    public static final ConfigKey<Path> HTTP_ACCESS_FILE = ConfigKey.path("http.access.file")
            .doc("the access file: users, hashed tokens and client certificates with their roles ([security.md](security.md)); "
                    + "required when `http.host` is not a loopback address, re-read when it changes");
    public static final ConfigKey<Path> HTTP_TLS_KEYSTORE = ConfigKey.path("http.tls.keystore")
            .doc("a PKCS12 keystore with the server's key and certificate: serve HTTPS ([security.md](security.md#tls-and-mtls))");
    public static final SecretKey HTTP_TLS_KEYSTORE_PASSWORD = SecretKey.named("http.tls.keystore.password", "the keystore's password");
    public static final ConfigKey<String> HTTP_TLS_CLIENT_AUTH = ConfigKey.string("http.tls.client.auth").withDefault("none")
            .validatedBy(value -> value.equals("none") || value.equals("want") || value.equals("need"), "must be none, want or need")
            .doc("client certificates (mTLS): `none`, `want` (a certificate or a token) or `need` (a certificate always); "
                    + "a certificate's subject must be listed in the access file");
    public static final ConfigKey<Path> HTTP_TLS_TRUSTSTORE = ConfigKey.path("http.tls.truststore")
            .doc("a PKCS12 truststore of the CAs that sign client certificates; needed with `http.tls.client.auth`");
    public static final SecretKey HTTP_TLS_TRUSTSTORE_PASSWORD = SecretKey.named("http.tls.truststore.password", "the truststore's password");
    public static final ConfigKey<Long> HTTP_MAX_BODY_SIZE = ConfigKey.bytes("http.max.body.size")
            .validatedBy(size -> size <= Integer.MAX_VALUE, "must be below 2GiB").withDefault(1L << 20)
            .doc("largest request body; a larger one is answered 413 without being read further ([security.md](security.md#limits))");
    public static final ConfigKey<Integer> HTTP_AUTH_FAILURES_LIMIT = ConfigKey.integer("http.auth.failures.limit", 0, 1_000_000).withDefault(20)
            .doc("failed authentications one client address may make per `http.auth.failures.window` before it is answered 429; "
                    + "0 lets every attempt through");
    public static final ConfigKey<Duration> HTTP_AUTH_FAILURES_WINDOW = ConfigKey.duration("http.auth.failures.window")
            .withDefault(Duration.ofMinutes(1)).doc("the window of `http.auth.failures.limit`");

    /**
     * Authentication, TLS and request limits of a service's HTTP endpoint, the same keys for every service
     * ({@code HttpSecurity} reads them).
     */
    public static final ConfigDefinition HTTP_SECURITY = ConfigDefinition.of("HTTP security")
            .with(HTTP_ACCESS_FILE, HTTP_TLS_KEYSTORE, HTTP_TLS_KEYSTORE_PASSWORD, HTTP_TLS_CLIENT_AUTH, HTTP_TLS_TRUSTSTORE,
                    HTTP_TLS_TRUSTSTORE_PASSWORD, HTTP_MAX_BODY_SIZE, HTTP_AUTH_FAILURES_LIMIT, HTTP_AUTH_FAILURES_WINDOW);

    private CommonKeys() {
    }

    /** {@code kafka.bootstrap.servers} and every other {@code kafka.*} key, which go to {@code clients} without the prefix. */
    public static ConfigDefinition kafka(String clients) {
        return ConfigDefinition.of("the Kafka clients").with(KAFKA_BOOTSTRAP_SERVERS)
                .passingOn("kafka.", "every other `kafka.*` key, without the prefix, goes to " + clients);
    }

    /** The address of a service's endpoint; {@code serves} says what it serves. */
    public static ConfigKey<String> httpHost(String serves) {
        return ConfigKey.string(HTTP_HOST_NAME).withDefault("127.0.0.1").doc("address of " + serves);
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
