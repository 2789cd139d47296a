package dev.vigil.gateway.otlp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.gateway.GatewayKeys;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.publish.Admission;
import dev.vigil.gateway.publish.GatewayMetrics;
import dev.vigil.runtime.security.Authentication;
import dev.vigil.runtime.security.BindingRule;
import dev.vigil.runtime.security.Refusal;
import dev.vigil.runtime.security.RequestAuthenticator;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.http.AuthFailureLimiter;
import dev.vigil.runtime.security.http.HttpSecurity;
import dev.vigil.runtime.security.http.TlsMaterial;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;

/**
 * OTLP/gRPC: {@code opentelemetry.proto.collector.metrics.v1.MetricsService/Export} on its own port (4317 by default,
 * loopback unless {@code otlp.grpc.host} says otherwise), secured as the gateway's HTTP server is: the same TLS keys and
 * client-certificate setting ({@code http.tls.*}, read once by the HTTP server, {@link TlsMaterial}), the same access file
 * and the same decisions ({@link RequestAuthenticator}). With an access file a call needs the publisher role, from a
 * bearer token in its {@code authorization} metadata or from a client certificate the access file lists: none or a bad
 * one is {@code UNAUTHENTICATED}, one without the role {@code PERMISSION_DENIED}. Where it may bind is
 * {@link BindingRule}'s. Overload is {@code RESOURCE_EXHAUSTED}, a Kafka failure {@code UNAVAILABLE} (both retryable in
 * OTLP); refused points are a partial success.
 */
final class OtlpGrpcServer implements AutoCloseable {

    static final String PROTOCOL = "otlp_grpc";
    private static final Logger log = LoggerFactory.getLogger(OtlpGrpcServer.class);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Server server;
    private final ExecutorService executor;

    /**
     * Starts serving.
     *
     * @param authenticator empty to serve unauthenticated (loopback only)
     * @param tls           empty to serve plain text
     * @param clientAuth    whether the TLS handshake asks client certificates (with {@code tls})
     * @param failures      failed authentications per address, shared with the HTTP server: an address that failed too
     *                      often lately is refused {@code RESOURCE_EXHAUSTED} without its credential being looked at
     * @throws ConfigException naming {@code otlp.grpc.host} when {@link BindingRule} refuses it
     */
    OtlpGrpcServer(String host, int port, Optional<RequestAuthenticator> authenticator, Optional<TlsMaterial> tls,
                   HttpSecurity.ClientAuth clientAuth, AuthFailureLimiter failures, int maxMessageBytes, OtlpIngest ingest, GatewayMetrics metrics)
            throws IOException {
        Objects.requireNonNull(clientAuth, "clientAuth can't be null");
        BindingRule.check(GatewayKeys.OTLP_GRPC_HOST.name(), host, "the gateway's OTLP/gRPC endpoint", authenticator.isPresent(), tls.isPresent());
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "vigil-gateway-grpc");
            thread.setDaemon(true);
            return thread;
        });
        MetricsServiceGrpc.MetricsServiceImplBase service = new MetricsServiceGrpc.MetricsServiceImplBase() {
            @Override
            public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> response) {
                Admission admission = ingest.export(PROTOCOL, request);
                if (admission instanceof Admission.Accepted accepted) {
                    response.onNext(OtlpIngest.response(accepted));
                    response.onCompleted();
                } else if (admission instanceof Admission.Overloaded overloaded) {
                    response.onError(Status.RESOURCE_EXHAUSTED.withDescription(overloaded.message()).asRuntimeException());
                } else if (admission instanceof Admission.Unavailable unavailable) {
                    response.onError(Status.UNAVAILABLE.withDescription(unavailable.message()).asRuntimeException());
                }
            }
        };
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials(tls, clientAuth))
                .executor(executor)
                .maxInboundMessageSize(maxMessageBytes);
        builder = authenticator.isPresent()
                ? builder.addService(ServerInterceptors.intercept(service, new Authenticator(authenticator.get(), failures, metrics)))
                : builder.addService(service);
        try {
            this.server = builder.build().start();
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    /** Plain text, or TLS from the HTTP server's material; netty's defaults already leave out everything before TLS 1.2. */
    private static ServerCredentials credentials(Optional<TlsMaterial> tls, HttpSecurity.ClientAuth clientAuth) {
        if (tls.isEmpty()) {
            return InsecureServerCredentials.create();
        }
        TlsServerCredentials.Builder credentials = TlsServerCredentials.newBuilder().keyManager(tls.get().keyManagers());
        if (tls.get().verifiesClients()) {
            credentials.trustManager(tls.get().trustManagers());
        }
        return credentials.clientAuth(switch (clientAuth) {
            case NEED -> TlsServerCredentials.ClientAuth.REQUIRE;
            case WANT -> TlsServerCredentials.ClientAuth.OPTIONAL;
            case NONE -> TlsServerCredentials.ClientAuth.NONE;
        }).build();
    }

    /**
     * Lets a call through when its bearer token or client certificate is a publisher's, as the HTTP server's filter does,
     * and counts failures per address against the same limit.
     */
    private static final class Authenticator implements ServerInterceptor {
        private final RequestAuthenticator authenticator;
        private final AuthFailureLimiter failures;
        private final GatewayMetrics metrics;

        Authenticator(RequestAuthenticator authenticator, AuthFailureLimiter failures, GatewayMetrics metrics) {
            this.authenticator = authenticator;
            this.failures = Objects.requireNonNull(failures, "failures can't be null");
            this.metrics = metrics;
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            InetAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR) instanceof InetSocketAddress remote
                    ? remote.getAddress() : null;
            Duration wait = address == null ? Duration.ZERO : failures.retryAfter(address, Instant.now());
            if (!wait.isZero()) {
                metrics.requestRefused(PROTOCOL, RefusalReason.UNAUTHENTICATED);
                log.warn("Refused an OTLP/gRPC call from {}: {}", address.getHostAddress(), Refusal.TOO_MANY_FAILURES.label());
                call.close(Status.RESOURCE_EXHAUSTED.withDescription(Refusal.TOO_MANY_FAILURES.label()
                        + ": too many failed authentications from your address; retry after " + Math.max(1, (wait.toMillis() + 999) / 1000) + " s"),
                        new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            Authentication authentication = authenticator.authorize(headers.get(AUTHORIZATION),
                    call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION), Role.PUBLISHER);
            if (authentication instanceof Authentication.Refused refused) {
                if (address != null && refused.reason() != Refusal.MISSING_ROLE) {
                    failures.failed(address, Instant.now());
                }
                metrics.requestRefused(PROTOCOL, RefusalReason.UNAUTHENTICATED);
                log.warn("Refused an OTLP/gRPC call from {}: {}{}", call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), refused.reason().label(),
                        refused.principal().map(principal -> " (" + principal.name() + " lacks role " + Role.PUBLISHER.id() + ")").orElse(""));
                Status status = refused.reason() == Refusal.MISSING_ROLE
                        ? Status.PERMISSION_DENIED.withDescription("pushing metrics needs the " + Role.PUBLISHER.id() + " role")
                        : Status.UNAUTHENTICATED.withDescription(refused.reason().label()
                                + ": authenticate with a bearer token (authorization: Bearer vgl_...) or a client certificate");
                call.close(status, new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(call, headers);
        }
    }

    /** host:port where it listens. */
    String address() {
        InetSocketAddress address = (InetSocketAddress) server.getListenSockets().get(0);
        return address.getHostString() + ":" + address.getPort();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        executor.shutdownNow();
    }
}
