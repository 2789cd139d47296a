package dev.vigil.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import dev.vigil.avro.MetricBatch;
import dev.vigil.stack.TestCertificates;

/**
 * The registry client over HTTPS with the trust and key stores of its settings, against an HTTPS server
 * whose certificates a test CA signed ({@link TestCertificates}).
 */
class RestSchemaRegistryClientTlsTest {

    @TempDir
    static Path stores;

    private static TestCertificates certificates;

    private HttpsServer server;

    @BeforeAll
    static void makeCertificates() {
        certificates = TestCertificates.create(stores);
        certificates.clientKeyStore("vigil-client");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldTalkToAnHttpsRegistryTrustedThroughTheConfiguredTrustStore() throws Exception {
        startServer(false);

        var client = new RestSchemaRegistryClient(SchemaRegistryConfig.from(tlsConfig(false)));

        assertThat(client.register("vigil.metrics-value", MetricBatch.getClassSchema())).isEqualTo(5);
    }

    @Test
    void shouldPresentTheClientCertificateWhenTheRegistryRequiresMutualTls() throws Exception {
        startServer(true);

        var client = new RestSchemaRegistryClient(SchemaRegistryConfig.from(tlsConfig(true)));

        assertThat(client.register("vigil.metrics-value", MetricBatch.getClassSchema())).isEqualTo(5);
    }

    @Test
    void shouldFailClearlyWhenTheRegistrysCertificateIsNotTrusted() throws Exception {
        startServer(false);
        Map<String, Object> config = Map.of("schema.registry.url", url(), "schema.registry.max.retries", 0);

        var client = new RestSchemaRegistryClient(SchemaRegistryConfig.from(config));

        assertThatThrownBy(() -> client.register("vigil.metrics-value", MetricBatch.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("SSLHandshakeException");
    }

    @Test
    void shouldNameTheSettingWhenATrustStoreCannotBeRead() {
        Map<String, Object> config = Map.of("schema.registry.url", "https://127.0.0.1:1",
                "schema.registry.ssl.truststore.location", stores.resolve("missing.p12").toString());

        assertThatThrownBy(() -> new RestSchemaRegistryClient(SchemaRegistryConfig.from(config)))
                .hasMessageContaining("schema.registry.ssl.truststore.location").hasMessageContaining("missing.p12");
    }

    private Map<String, Object> tlsConfig(boolean withClientCertificate) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", url());
        config.put("schema.registry.ssl.truststore.location", certificates.trustStore().toString());
        config.put("schema.registry.ssl.truststore.password", certificates.password());
        if (withClientCertificate) {
            config.put("schema.registry.ssl.keystore.location", certificates.clientKeyStore("vigil-client").toString());
            config.put("schema.registry.ssl.keystore.password", certificates.password());
        }
        return config;
    }

    private String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private void startServer(boolean requireClientCertificate) throws Exception {
        // The server side of the test CA: its key, trusting client certificates the CA signed.
        SSLContext context = certificates.sslContext(certificates.serverKeyStore());
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(requireClientCertificate);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"id\":5}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }
}
