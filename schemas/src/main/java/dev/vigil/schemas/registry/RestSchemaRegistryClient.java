package dev.vigil.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API.
 *
 * <p>HTTP goes through {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: the latter sets up
 * TLS even for plain HTTP and loads some 600 classes, which matters in the host agent's 96 MiB budget.
 *
 * <p>Ids and schemas are immutable once registered, so both directions are cached for the life of the
 * client and the hot path of a serde never leaves memory. Failures that may heal (no connection,
 * timeouts, HTTP 429 and 5xx) are retried with exponential back-off and jitter, rotating through the
 * configured URLs; refusals (other 4xx) are reported at once.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/json";

    private final SchemaRegistryConfig config;
    private final List<URI> baseUrls;
    private final Optional<String> authorization;
    private final SSLContext sslContext;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    private record Answer(int status, JsonNode body) {
    }

    public RestSchemaRegistryClient(SchemaRegistryConfig config) {
        this.config = Objects.requireNonNull(config, "config can't be null");
        this.baseUrls = config.urls().stream().map(RestSchemaRegistryClient::withoutUserInfo).toList();
        this.authorization = config.userInfo().map(info -> "Basic "
                + Base64.getEncoder().encodeToString(info.value().getBytes(StandardCharsets.UTF_8)));
        this.sslContext = config.tls().map(RestSchemaRegistryClient::sslContext).orElse(null);
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            Answer answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
            int id = requiredId(answer, "register under subject " + subject);
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            Answer answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
            int id = requiredId(answer, "look up schema under subject " + subject);
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, key -> {
            Answer answer = send("GET", "/schemas/ids/" + id, null);
            JsonNode text = answer.body().path("schema");
            if (!text.isTextual()) {
                throw new SchemaRegistryException("Schema registry answer for id " + id + " has no schema: " + answer.body(),
                        answer.status(), -1, null);
            }
            try {
                return new Schema.Parser().parse(text.asText());
            } catch (SchemaParseException e) {
                throw new SchemaRegistryException("Schema id " + id + " is not a valid Avro schema: " + e.getMessage(),
                        answer.status(), -1, e);
            }
        });
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            Answer answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
            return answer.body().path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return true; // no version yet: anything is compatible with nothing
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(String subject, Compatibility level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        send("PUT", "/config/" + encode(subject), body);
    }

    @Override
    public void close() {
        // Connections live in the JDK's keep-alive cache, which closes idle ones by itself.
    }

    private Answer send(String method, String path, JsonNode body) {
        int attempts = config.maxRetries() + 1;
        long started = System.nanoTime();
        String lastError = "";
        Throwable lastCause = null;
        int lastStatus = -1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            URI base = baseUrls.get(attempt % baseUrls.size());
            try {
                Answer answer = exchange(method, base, path, body);
                if (answer.status() / 100 == 2) {
                    return answer;
                }
                if (answer.status() != 429 && answer.status() < 500) {
                    int code = answer.body().path("error_code").asInt(-1);
                    String message = answer.body().path("message").asText(answer.body().toString());
                    throw new SchemaRegistryException("Schema registry " + redacted(base) + " refused " + method + " " + path
                            + ": HTTP " + answer.status() + (code > 0 ? " (error " + code + ")" : "") + ": " + message,
                            answer.status(), code, null);
                }
                lastStatus = answer.status();
                lastError = "HTTP " + answer.status() + " " + answer.body();
                lastCause = null;
            } catch (IOException e) {
                lastStatus = -1;
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                lastCause = e;
            }
            if (attempt + 1 < attempts) {
                long sleepMs = backoffMillis(attempt);
                log.warn("Schema registry {} {} {} failed ({}); retry {}/{} in {} ms",
                        redacted(base), method, path, lastError, attempt + 1, config.maxRetries(), sleepMs);
                sleep(sleepMs, method, path);
            }
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        throw new SchemaRegistryException("Schema registry unavailable: " + method + " " + path + " failed " + attempts
                + " time(s) over " + elapsedMs + " ms against " + baseUrls.stream().map(RestSchemaRegistryClient::redacted).toList()
                + "; last error: " + lastError, lastStatus, -1, lastCause);
    }

    private Answer exchange(String method, URI base, String path, JsonNode body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        if (connection instanceof HttpsURLConnection https && sslContext != null) {
            https.setSSLSocketFactory(sslContext.getSocketFactory());
        }
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis());
        connection.setConnectTimeout(timeout);
        connection.setReadTimeout(timeout);
        connection.setRequestMethod(method);
        connection.setRequestProperty("Accept", ACCEPT);
        authorization.ifPresent(value -> connection.setRequestProperty("Authorization", value));
        if (body != null) {
            byte[] bytes = JSON.writeValueAsBytes(body);
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", CONTENT_TYPE);
            connection.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status = connection.getResponseCode();
        // Reading the body to its end (and closing it) lets the JDK reuse the connection.
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            JsonNode json;
            try {
                json = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            } catch (IOException notJson) {
                // Proxies and load balancers answer errors in HTML; keep the text for the message.
                json = JSON.createObjectNode().put("message", new String(bytes, StandardCharsets.UTF_8).strip());
            }
            return new Answer(status, json);
        }
    }

    private long backoffMillis(int attempt) {
        long base = config.retryBackoff().toMillis();
        long ceiling = config.retryBackoffMax().toMillis();
        long exponential = base << Math.min(attempt, 20);
        long capped = Math.min(ceiling, exponential);
        // Full jitter in the upper half keeps retrying clients from marching in step.
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    private static void sleep(long millis, String method, String path) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while retrying " + method + " " + path, -1, -1, e);
        }
    }

    private static int requiredId(Answer answer, String what) {
        JsonNode id = answer.body().path("id");
        if (!id.canConvertToInt()) {
            throw new SchemaRegistryException("Schema registry answered " + what + " without an id: " + answer.body(),
                    answer.status(), -1, null);
        }
        return id.asInt();
    }

    private static JsonNode schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI withoutUserInfo(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath()));
    }

    private static String redacted(URI uri) {
        return SchemaRegistryConfig.redact(uri.toString());
    }

    private static SSLContext sslContext(SchemaRegistryConfig.TlsSettings tls) {
        try {
            TrustManagerFactory trust = null;
            if (tls.truststoreLocation().isPresent()) {
                KeyStore store = load(tls.truststoreLocation().get(), tls.truststorePassword(), tls.truststoreType(),
                        SchemaRegistryConfig.SSL_TRUSTSTORE_LOCATION);
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (tls.keystoreLocation().isPresent()) {
                KeyStore store = load(tls.keystoreLocation().get(), tls.keystorePassword(), tls.keystoreType(),
                        SchemaRegistryConfig.SSL_KEYSTORE_LOCATION);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                char[] keyPassword = tls.keyPassword().or(tls::keystorePassword).map(p -> p.value().toCharArray()).orElse(null);
                keys.init(store, keyPassword);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot set up TLS for the schema registry: " + e.getMessage());
        }
    }

    private static KeyStore load(String location, Optional<Password> password, String type, String key)
            throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.map(p -> p.value().toCharArray()).orElse(null));
            return store;
        } catch (IOException e) {
            throw new ConfigException(key, location, "cannot read " + type + " store: " + e.getMessage());
        }
    }
}
