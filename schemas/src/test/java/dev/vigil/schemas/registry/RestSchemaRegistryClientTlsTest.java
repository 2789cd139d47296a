package dev.vigil.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import dev.vigil.avro.MetricBatch;

/**
 * The registry client over HTTPS with the trust and key stores of its settings, against an HTTPS server
 * whose certificates keytool makes for this test (passwords passed through the environment, not argv).
 */
class RestSchemaRegistryClientTlsTest {

    private static final String PASSWORD = "test-only-store-password";

    @TempDir
    static Path stores;

    private HttpsServer server;

    @BeforeAll
    static void makeCertificates() throws Exception {
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", "server.p12", "-storetype", "PKCS12",
                "-storepass:env", "STORE_PASSWORD");
        keytool("-exportcert", "-alias", "registry", "-keystore", "server.p12", "-storepass:env", "STORE_PASSWORD", "-file", "server.crt");
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", "server.crt", "-keystore", "client-trust.p12",
                "-storetype", "PKCS12", "-storepass:env", "STORE_PASSWORD");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=vigil-client",
                "-validity", "2", "-keystore", "client.p12", "-storetype", "PKCS12", "-storepass:env", "STORE_PASSWORD");
        keytool("-exportcert", "-alias", "client", "-keystore", "client.p12", "-storepass:env", "STORE_PASSWORD", "-file", "client.crt");
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", "client.crt", "-keystore", "server-trust.p12",
                "-storetype", "PKCS12", "-storepass:env", "STORE_PASSWORD");
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
        config.put("schema.registry.ssl.truststore.location", stores.resolve("client-trust.p12").toString());
        config.put("schema.registry.ssl.truststore.password", PASSWORD);
        if (withClientCertificate) {
            config.put("schema.registry.ssl.keystore.location", stores.resolve("client.p12").toString());
            config.put("schema.registry.ssl.keystore.password", PASSWORD);
        }
        return config;
    }

    private String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private void startServer(boolean requireClientCertificate) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load("server.p12"), PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("server-trust.p12"));
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
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

    private static KeyStore load(String file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(stores.resolve(file))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(stores.toFile()).redirectErrorStream(true);
        builder.environment().put("STORE_PASSWORD", PASSWORD);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
