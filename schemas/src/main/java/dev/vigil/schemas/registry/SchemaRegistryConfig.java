package dev.vigil.schemas.registry;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Validated settings of the schema-registry client and the Avro serdes.
 *
 * <p>Keys use Confluent's names ({@code schema.registry.url}, {@code basic.auth.user.info},
 * {@code auto.register.schemas}, {@code schema.registry.ssl.*}) so one configuration map serves both
 * Vigil's serdes and Confluent's, should a user swap those in. Unknown keys are ignored, because the
 * same map also carries producer, consumer and Streams settings.
 *
 * @param urls                 registry base URLs, tried in turn when one is unreachable
 * @param userInfo             {@code user:password} for HTTP basic auth, if any
 * @param autoRegisterSchemas  register the writer schema on first use, or only look it up
 * @param requestTimeout       timeout of one HTTP request
 * @param maxRetries           retries after the first attempt, for I/O errors, 429 and 5xx answers
 * @param retryBackoff         first back-off; doubles per retry
 * @param retryBackoffMax      back-off ceiling
 * @param tls                  trust and key material for HTTPS, if configured
 */
public record SchemaRegistryConfig(
        List<URI> urls,
        Optional<Password> userInfo,
        boolean autoRegisterSchemas,
        Duration requestTimeout,
        int maxRetries,
        Duration retryBackoff,
        Duration retryBackoffMax,
        Optional<TlsSettings> tls) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String MAX_RETRIES = "schema.registry.max.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";

    /** The definition every Vigil component validates its registry settings against. */
    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Comma-separated base URLs of a Confluent-API schema registry "
                            + "(Confluent, Apicurio's /apis/ccompat/v7, Karapace, Redpanda).")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, "USER_INFO",
                    ValidString.in("USER_INFO", "URL"), Importance.MEDIUM,
                    "Where basic-auth credentials come from: USER_INFO (basic.auth.user.info) or URL (user:password@host).")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                    "user:password for HTTP basic auth. Never logged.")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Register writer schemas on first use; when false they must already be registered.")
            .define(REQUEST_TIMEOUT_MS, Type.INT, 10_000, Range.atLeast(1), Importance.LOW,
                    "Timeout of one registry request.")
            .define(MAX_RETRIES, Type.INT, 5, Range.between(0, 100), Importance.LOW,
                    "Retries after a failed attempt (I/O error, HTTP 429 or 5xx).")
            .define(RETRY_BACKOFF_MS, Type.LONG, 100L, Range.atLeast(0), Importance.LOW,
                    "First back-off between retries; doubles each time, with jitter.")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 5_000L, Range.atLeast(0), Importance.LOW,
                    "Ceiling of the back-off between retries.")
            .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                    "Trust store for an HTTPS registry (default: the JVM's trust store).")
            .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Trust store password.")
            .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW, "Trust store type (PKCS12, JKS).")
            .define(SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                    "Key store holding the client certificate, for registries that require mutual TLS.")
            .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Key store password.")
            .define(SSL_KEYSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW, "Key store type (PKCS12, JKS).")
            .define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                    "Password of the private key, if it differs from the key store's.");

    /** Trust and key stores for talking to a registry over HTTPS. */
    public record TlsSettings(
            Optional<String> truststoreLocation, Optional<Password> truststorePassword, String truststoreType,
            Optional<String> keystoreLocation, Optional<Password> keystorePassword, String keystoreType,
            Optional<Password> keyPassword) {
    }

    public SchemaRegistryConfig {
        Objects.requireNonNull(urls, "urls can't be null");
        if (urls.isEmpty()) {
            throw new ConfigException(URL, urls, "at least one schema registry URL is required");
        }
        urls = List.copyOf(urls);
        Objects.requireNonNull(userInfo, "userInfo can't be null");
        Objects.requireNonNull(requestTimeout, "requestTimeout can't be null");
        Objects.requireNonNull(retryBackoff, "retryBackoff can't be null");
        Objects.requireNonNull(retryBackoffMax, "retryBackoffMax can't be null");
        Objects.requireNonNull(tls, "tls can't be null");
    }

    /** Settings for a registry at {@code url} with every other value at its default. */
    public static SchemaRegistryConfig forUrl(String url) {
        return from(Map.of(URL, url));
    }

    /**
     * Validates and reads the registry settings from a client configuration map.
     *
     * @throws ConfigException naming the key, when a value is missing or malformed
     */
    public static SchemaRegistryConfig from(Map<String, ?> configs) {
        var parsed = new AbstractConfig(DEFINITION, configs, false);
        List<URI> urls = parsed.getList(URL).stream().map(SchemaRegistryConfig::parseUrl).toList();
        Optional<Password> userInfo = Optional.ofNullable(parsed.getPassword(BASIC_AUTH_USER_INFO));
        if ("URL".equals(parsed.getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
            userInfo = Optional.ofNullable(urls.get(0).getRawUserInfo()).map(Password::new);
            if (userInfo.isEmpty()) {
                throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, "URL",
                        "credentials source is URL but " + URL + " has no user:password@ part");
            }
        }
        userInfo.ifPresent(info -> {
            if (!info.value().contains(":")) {
                throw new ConfigException(BASIC_AUTH_USER_INFO, "[hidden]", "expected user:password");
            }
        });
        long backoff = parsed.getLong(RETRY_BACKOFF_MS);
        long backoffMax = parsed.getLong(RETRY_BACKOFF_MAX_MS);
        if (backoffMax < backoff) {
            throw new ConfigException(RETRY_BACKOFF_MAX_MS, backoffMax, "must be >= " + RETRY_BACKOFF_MS + " (" + backoff + ")");
        }
        return new SchemaRegistryConfig(
                urls,
                userInfo,
                parsed.getBoolean(AUTO_REGISTER_SCHEMAS),
                Duration.ofMillis(parsed.getInt(REQUEST_TIMEOUT_MS)),
                parsed.getInt(MAX_RETRIES),
                Duration.ofMillis(backoff),
                Duration.ofMillis(backoffMax),
                tlsSettings(parsed));
    }

    private static Optional<TlsSettings> tlsSettings(AbstractConfig parsed) {
        Optional<String> truststore = Optional.ofNullable(parsed.getString(SSL_TRUSTSTORE_LOCATION));
        Optional<String> keystore = Optional.ofNullable(parsed.getString(SSL_KEYSTORE_LOCATION));
        if (truststore.isEmpty() && keystore.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TlsSettings(
                truststore, Optional.ofNullable(parsed.getPassword(SSL_TRUSTSTORE_PASSWORD)), parsed.getString(SSL_TRUSTSTORE_TYPE),
                keystore, Optional.ofNullable(parsed.getPassword(SSL_KEYSTORE_PASSWORD)), parsed.getString(SSL_KEYSTORE_TYPE),
                Optional.ofNullable(parsed.getPassword(SSL_KEY_PASSWORD))));
    }

    private static URI parseUrl(String raw) {
        try {
            URI uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new ConfigException(URL, redact(raw), "must start with http:// or https://");
            }
            if (uri.getHost() == null) {
                throw new ConfigException(URL, redact(raw), "has no host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(URL, redact(raw), "not a URL: " + redact(String.valueOf(e.getMessage())));
        }
    }

    /** A URL fit for logs and error messages: any user:password part is replaced by "***". */
    public static String redact(String url) {
        return url.replaceAll("//[^/@]+@", "//***@");
    }
}
