package dev.vigil.gateway.otlp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.config.ConfigException;

import dev.vigil.gateway.GatewayKeys;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.publish.Admission;
import dev.vigil.gateway.publish.GatewayMetrics;
import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.security.AccessControl;
import dev.vigil.runtime.security.Authentication;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.http.SecureHttpServer;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;

/**
 * OTLP/gRPC: {@code opentelemetry.proto.collector.metrics.v1.MetricsService/Export} on its own port (4317 by default,
 * loopback unless {@code otlp.grpc.host} says otherwise). With an access file, a call needs a bearer token of the
 * publisher role in its {@code authorization} metadata, checked against the same access file as the HTTP server
 * ({@link AccessControl}): none or a bad one is {@code UNAUTHENTICATED}, a token without the role {@code PERMISSION_DENIED}.
 * Overload is {@code RESOURCE_EXHAUSTED}, a Kafka failure {@code UNAVAILABLE} (both retryable in OTLP); refused points
 * are a partial success. Plain text only: TLS belongs in front of it for now (docs/ingest.md).
 */
final class OtlpGrpcServer implements AutoCloseable {

    static final String PROTOCOL = "otlp_grpc";
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Server server;
    private final ExecutorService executor;

    OtlpGrpcServer(String host, int port, Optional<AccessControl> access, int maxMessageBytes, OtlpIngest ingest, GatewayMetrics metrics,
                   Clock clock) throws IOException {
        if (access.isEmpty() && !SecureHttpServer.isLoopback(host)) {
            throw new ConfigException(GatewayKeys.OTLP_GRPC_HOST.name(), host, "OTLP/gRPC would serve " + host + " without authentication; set "
                    + CommonKeys.HTTP_ACCESS_FILE.name() + " or bind 127.0.0.1");
        }
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
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .executor(executor)
                .maxInboundMessageSize(maxMessageBytes)
                .addService(ServerInterceptors.intercept(service, new Authenticator(access, metrics, clock)))
                .build()
                .start();
    }

    /** Checks the bearer token of every call against the access file, when there is one. */
    private static final class Authenticator implements ServerInterceptor {
        private final Optional<AccessControl> access;
        private final GatewayMetrics metrics;
        private final Clock clock;

        Authenticator(Optional<AccessControl> access, GatewayMetrics metrics, Clock clock) {
            this.access = access;
            this.metrics = metrics;
            this.clock = clock;
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            if (access.isEmpty()) {
                return next.startCall(call, headers);
            }
            String authorization = headers.get(AUTHORIZATION);
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return refuse(call, Status.UNAUTHENTICATED.withDescription("a bearer token is needed in the authorization metadata"));
            }
            Authentication authentication = access.get().current().authenticateToken(authorization.substring(7).strip(), clock.instant());
            if (authentication instanceof Authentication.Refused refused) {
                return refuse(call, Status.UNAUTHENTICATED.withDescription("token refused: " + refused.reason().name().toLowerCase(java.util.Locale.ROOT)));
            }
            if (!((Authentication.Authenticated) authentication).principal().has(Role.PUBLISHER)) {
                return refuse(call, Status.PERMISSION_DENIED.withDescription("pushing metrics needs the " + Role.PUBLISHER.id() + " role"));
            }
            return next.startCall(call, headers);
        }

        private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
            metrics.requestRefused(PROTOCOL, RefusalReason.UNAUTHENTICATED);
            call.close(status, new Metadata());
            return new ServerCall.Listener<>() {
            };
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
