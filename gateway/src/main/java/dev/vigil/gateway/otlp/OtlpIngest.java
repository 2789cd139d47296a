package dev.vigil.gateway.otlp;

import java.util.Arrays;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.vigil.gateway.GatewayContext;
import dev.vigil.gateway.GatewayKeys;
import dev.vigil.gateway.publish.Admission;
import dev.vigil.gateway.publish.BatchPublisher;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;

/** What OTLP/HTTP and OTLP/gRPC share: the mapping, the publication and the partial-success answer. */
final class OtlpIngest {

    private final OtlpMapper mapper;
    private final BatchPublisher publisher;

    OtlpIngest(OtlpMapper mapper, BatchPublisher publisher) {
        this.mapper = mapper;
        this.publisher = publisher;
    }

    /** The mapper the context's settings describe; {@code histograms} is shared by every OTLP protocol of the gateway. */
    static OtlpMapper mapper(GatewayContext context, HistogramQuantiles histograms) {
        String labels = context.config().values().get(GatewayKeys.OTLP_RESOURCE_LABELS);
        List<String> resourceLabels = labels.isBlank() ? List.of() : Arrays.stream(labels.split(",")).map(String::strip).toList();
        return new OtlpMapper(context.config().hostAttributes(), resourceLabels, histograms,
                context.config().values().get(GatewayKeys.OTLP_SERIES_KEPT));
    }

    /** Maps and publishes {@code request}, received by {@code protocol}. */
    Admission export(String protocol, ExportMetricsServiceRequest request) {
        return publisher.publish(protocol, mapper.map(request));
    }

    /**
     * Maps and publishes a serialized {@code ExportMetricsServiceRequest}, received by {@code protocol}, read off the
     * wire ({@link OtlpMapper#map(byte[])}).
     *
     * @throws InvalidProtocolBufferException when it is not one: nothing is published
     */
    Admission export(String protocol, byte[] request) throws InvalidProtocolBufferException {
        return publisher.publish(protocol, mapper.map(request));
    }

    /** The OTLP answer to an accepted request: partial success when points were refused. */
    static ExportMetricsServiceResponse response(Admission.Accepted accepted) {
        ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
        if (accepted.refusedPoints() > 0) {
            response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(accepted.refusedPoints())
                    .setErrorMessage(accepted.message()));
        }
        return response.build();
    }
}
