package dev.vigil.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.gateway.publish.BatchAssembler;
import dev.vigil.gateway.publish.BatchPublisher;
import dev.vigil.gateway.publish.GatewayMetrics;
import dev.vigil.runtime.security.AccessControl;
import dev.vigil.runtime.security.RequestAuthenticator;
import dev.vigil.runtime.security.Tokens;
import dev.vigil.runtime.security.http.AuthFailureLimiter;
import dev.vigil.runtime.security.http.HttpSecurity;
import dev.vigil.runtime.security.http.TlsMaterial;
import dev.vigil.stack.TestCertificates;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * The OTLP/gRPC server's TLS set up from the HTTP server's material ({@link TlsMaterial}) against grpc-java's own client:
 * the handshake with a client trusting the test CA, client certificates as credentials (listed, unlisted, without the
 * role, signed by no trusted CA, absent when needed), plain text refused, and the binding rule. Publication goes to
 * Kafka's {@code MockProducer}; the real broker and the OpenTelemetry SDK are in {@code OtlpSdkIT}.
 */
class OtlpGrpcServerTlsTest {

    @TempDir
    static Path keys;

    private static TestCertificates certificates;

    @TempDir
    Path dir;

    private final String publisherToken = Tokens.generate("app");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(registry);
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final List<AutoCloseable> opened = new ArrayList<>();
    private AuthFailureLimiter failures = new AuthFailureLimiter(10, Duration.ofMinutes(1));

    @BeforeAll
    static void makeCertificates() {
        certificates = TestCertificates.create(keys);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void shouldTakeACallOverTlsFromAClientTrustingTheCaWithAPublisherToken() throws Exception {
        OtlpGrpcServer server = server(HttpSecurity.ClientAuth.WANT);

        export(server, tls(null), publisherToken);

        assertThat(producer.history()).as("the batch of web-01, published").singleElement()
                .satisfies(record -> assertThat(record.key()).isEqualTo("web-01"));
    }

    @Test
    void shouldAuthenticateAListedClientCertificateWithoutAToken() throws Exception {
        OtlpGrpcServer server = server(HttpSecurity.ClientAuth.NEED);

        export(server, tls(certificates.clientKeyStore("collector-1")), null);

        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void shouldRefuseAnUnlistedCertificateAndOneWithoutThePublisherRole() throws Exception {
        OtlpGrpcServer server = server(HttpSecurity.ClientAuth.NEED);

        assertThat(refusal(server, tls(certificates.clientKeyStore("stranger")), null).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refusal(server, tls(certificates.clientKeyStore("grafana")), null).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(producer.history()).isEmpty();
        assertThat(registry.counter("vigil.gateway.requests.refused", "protocol", "otlp_grpc", "reason", "unauthenticated").count()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAClientWithoutACertificateWhenCertificatesAreNeeded() throws Exception {
        OtlpGrpcServer server = server(HttpSecurity.ClientAuth.NEED);

        assertThat(refusal(server, tls(null), publisherToken).getCode()).as("the handshake fails, a token is not enough")
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseACertificateNoTrustedCaSigned() throws Exception {
        OtlpGrpcServer server = server(HttpSecurity.ClientAuth.NEED);

        // Self-signed with a listed subject: the handshake, not the access file, must stop it.
        assertThat(refusal(server, tls(certificates.selfSignedKeyStore("collector-1")), null).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseAPlainTextClient() throws Exception {
        OtlpGrpcServer server = server(HttpSecurity.ClientAuth.NONE);

        assertThat(refusal(server, InsecureChannelCredentials.create(), publisherToken).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseAnAddressThatFailedTooOftenWhateverItSendsNext() throws Exception {
        failures = new AuthFailureLimiter(2, Duration.ofMinutes(1));
        OtlpGrpcServer server = server(HttpSecurity.ClientAuth.WANT);

        assertThat(refusal(server, tls(null), Tokens.generate("guess")).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refusal(server, tls(null), Tokens.generate("guess")).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        Status throttled = refusal(server, tls(null), publisherToken);

        assertThat(throttled.getCode()).as("the right token too, until the window ends").isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(throttled.getDescription()).contains("too many failed authentications").containsPattern("retry after \\d+ s");
        assertThat(failures.retryAfter(java.net.InetAddress.getLoopbackAddress(), java.time.Instant.now())).isPositive();
        assertThat(registry.get("vigil.gateway.requests.refused").tag("reason", "unauthenticated").counter().count()).isEqualTo(3);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseToServeBeyondLoopbackWithoutAnAccessFile() {
        assertThatThrownBy(() -> new OtlpGrpcServer("0.0.0.0", 0, Optional.empty(), Optional.empty(), HttpSecurity.ClientAuth.NONE, failures, 1 << 20,
                ingest(), metrics))
                .isInstanceOf(ConfigException.class).hasMessageContaining("otlp.grpc.host")
                .hasMessageContaining("OTLP/gRPC endpoint would serve 0.0.0.0 without authentication; set http.access.file");
    }

    private OtlpGrpcServer server(HttpSecurity.ClientAuth clientAuth) throws Exception {
        Path access = Files.writeString(dir.resolve("access.yaml"), """
                tokens:
                  - {id: app, principal: app, roles: [publisher], sha256: %s}
                certificates:
                  - {subject: "%s", principal: collector-1, roles: [publisher]}
                  - {subject: "%s", principal: grafana, roles: [viewer]}
                """.formatted(Tokens.sha256Hex(publisherToken), TestCertificates.subject("collector-1"), TestCertificates.subject("grafana")));
        RequestAuthenticator authenticator = new RequestAuthenticator(AccessControl.load(access, AccessControl.DEFAULT_POLL, Clock.systemUTC()),
                Clock.systemUTC());
        HttpSecurity security = HttpSecurity.none().withAccessFile(access).withTls(certificates.serverKeyStore(), certificates.password(),
                clientAuth, certificates.trustStore(), certificates.password());
        OtlpGrpcServer server = new OtlpGrpcServer("127.0.0.1", 0, Optional.of(authenticator), TlsMaterial.load(security), clientAuth, failures, 1 << 20,
                ingest(), metrics);
        opened.add(server);
        return server;
    }

    private OtlpIngest ingest() {
        producer.initTransactions();
        BatchPublisher publisher = new BatchPublisher(new BatchAssembler(100, 100, Duration.ofMinutes(1)), metrics, "vigil.metrics",
                (topic, batch) -> new byte[0], n -> producer, 1, 4, Duration.ofSeconds(5), Duration.ofSeconds(1), Clock.systemUTC());
        return new OtlpIngest(new OtlpMapper(List.of("host.name"), List.of(), new HistogramQuantiles(16), 1_000), publisher);
    }

    /** A client trusting the test CA, presenting the key of {@code keyStore} if given. */
    private static ChannelCredentials tls(Path keyStore) {
        TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder().trustManager(certificates.trustManager());
        if (keyStore != null) {
            credentials.keyManager(certificates.keyManagers(keyStore));
        }
        return credentials.build();
    }

    private void export(OtlpGrpcServer server, ChannelCredentials credentials, String token) throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilder(server.address(), credentials).build();
        try {
            MetricsServiceGrpc.MetricsServiceBlockingStub stub = MetricsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            if (token != null) {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            assertThat(stub.export(request("web-01")).hasPartialSuccess()).as("every point taken").isFalse();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private Status refusal(OtlpGrpcServer server, ChannelCredentials credentials, String token) {
        try {
            export(server, credentials, token);
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the call was taken");
    }

    private static ExportMetricsServiceRequest request(String host) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("host.name")
                        .setValue(AnyValue.newBuilder().setStringValue(host))))
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("cpu.load").setGauge(Gauge.newBuilder()
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(System.currentTimeMillis() * 1_000_000L).setAsDouble(0.5))))))
                .build();
    }
}
