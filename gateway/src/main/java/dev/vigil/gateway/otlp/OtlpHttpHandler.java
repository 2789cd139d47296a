package dev.vigil.gateway.otlp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.Status;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.publish.Admission;
import dev.vigil.gateway.publish.GatewayMetrics;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

/**
 * {@code POST /v1/metrics} as the OTLP/HTTP specification has it: binary protobuf ({@code application/x-protobuf}) or
 * JSON ({@code application/json}, protobuf's JSON mapping), optionally gzip-compressed, answered in the request's
 * encoding: 200 with an {@code ExportMetricsServiceResponse} (partial success when points were refused), 400 for a
 * body that does not parse, 415 for another content type or encoding, 429 with {@code Retry-After} when the gateway is
 * overloaded, 503 with {@code Retry-After} when Kafka failed; errors carry a {@code google.rpc.Status}. The shared
 * server answers 413 beyond the body limit; a gzip body that inflates beyond it is answered 413 here.
 */
final class OtlpHttpHandler implements HttpHandler {

    static final String PROTOCOL = "otlp_http";
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final OtlpIngest ingest;
    private final GatewayMetrics metrics;
    private final long maxBodyBytes;

    OtlpHttpHandler(OtlpIngest ingest, GatewayMetrics metrics, long maxBodyBytes) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, 405, false, status(Code.INVALID_ARGUMENT, "use POST"));
                return;
            }
            String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).toLowerCase(Locale.ROOT);
            boolean json = contentType.startsWith(JSON);
            if (!json && !contentType.startsWith(PROTOBUF)) {
                refuse(exchange, 415, false, RefusalReason.UNSUPPORTED_MEDIA_TYPE,
                        "Content-Type must be " + PROTOBUF + " or " + JSON + ", not " + contentType);
                return;
            }
            String encoding = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Encoding")).toLowerCase(Locale.ROOT);
            if (!encoding.equals("null") && !encoding.equals("gzip") && !encoding.equals("identity")) {
                refuse(exchange, 415, json, RefusalReason.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding must be gzip or none, not " + encoding);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes(); // bounded by the shared server: 413 beyond
            if (encoding.equals("gzip")) {
                try (InputStream inflating = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = inflating.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
                } catch (ZipException | java.io.EOFException e) {
                    refuse(exchange, 400, json, RefusalReason.MALFORMED, "the gzip body is corrupt: " + e.getMessage());
                    return;
                }
                if (body.length > maxBodyBytes) {
                    refuse(exchange, 413, json, RefusalReason.TOO_LARGE, "the body inflates beyond " + maxBodyBytes + " bytes");
                    return;
                }
            }
            Admission admission;
            try {
                admission = json ? ingest.export(PROTOCOL, parseJson(body)) : ingest.export(PROTOCOL, body);
            } catch (InvalidProtocolBufferException e) {
                refuse(exchange, 400, json, RefusalReason.MALFORMED, "not an ExportMetricsServiceRequest: " + e.getMessage());
                return;
            }
            if (admission instanceof Admission.Accepted accepted) {
                send(exchange, 200, json, OtlpIngest.response(accepted));
            } else if (admission instanceof Admission.Overloaded overloaded) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, overloaded.retryAfter().toSeconds())));
                send(exchange, 429, json, status(Code.RESOURCE_EXHAUSTED, overloaded.message()));
            } else if (admission instanceof Admission.Unavailable unavailable) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, unavailable.retryAfter().toSeconds())));
                send(exchange, 503, json, status(Code.UNAVAILABLE, unavailable.message()));
            }
        }
    }

    private static ExportMetricsServiceRequest parseJson(byte[] body) throws InvalidProtocolBufferException {
        ExportMetricsServiceRequest.Builder builder = ExportMetricsServiceRequest.newBuilder();
        JSON_PARSER.merge(new String(body, StandardCharsets.UTF_8), builder);
        return builder.build();
    }

    private void refuse(HttpExchange exchange, int status, boolean json, RefusalReason reason, String message) throws IOException {
        metrics.requestRefused(PROTOCOL, reason);
        send(exchange, status, json, status(Code.INVALID_ARGUMENT, message));
    }

    private static Status status(Code code, String message) {
        return Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
    }

    private static void send(HttpExchange exchange, int status, boolean json, Message body) throws IOException {
        byte[] bytes = json ? JSON_PRINTER.print(body).getBytes(StandardCharsets.UTF_8) : body.toByteArray();
        exchange.getResponseHeaders().set("Content-Type", json ? JSON : PROTOBUF);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
