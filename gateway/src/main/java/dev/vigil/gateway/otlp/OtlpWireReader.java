package dev.vigil.gateway.otlp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import dev.vigil.gateway.ProtobufFields;
import dev.vigil.gateway.model.Fingerprint;
import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import dev.vigil.gateway.model.Refusals;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * Reads a serialized {@code ExportMetricsServiceRequest} into the same points as {@link OtlpMapper#map(
 * ExportMetricsServiceRequest)} gives for its parsed form, without parsing the points of kept series: an OTLP sender
 * serializes a series' attributes the same way every time, so the {@link Fingerprint} of their bytes (after the
 * resource's and the metric's) finds the series kept for them, and only the point's times and value are read. A point
 * of a series not kept, and every histogram, exponential histogram and summary, goes through the generated parser and
 * {@link OtlpMapper.MetricMapping} as before; so does each resource's own attributes (once per resource).
 *
 * <p>The wire format is read by protobuf's own {@link CodedInputStream} with the generated classes' field numbers; a
 * field the mapping does not use (descriptions, scopes, exemplars, schema URLs, unknown fields) is skipped, so its
 * bytes are bounded but not checked further, where the generated parser would also check that its strings are UTF-8.
 * Whatever the mapping reads is checked as the generated parser checks it. One reader per request.
 */
final class OtlpWireReader {

    private static final int RESOURCE_METRICS =
            ProtobufFields.tag(ExportMetricsServiceRequest.RESOURCE_METRICS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int RESOURCE = ProtobufFields.tag(ResourceMetrics.RESOURCE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int SCOPE_METRICS = ProtobufFields.tag(ResourceMetrics.SCOPE_METRICS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int METRICS = ProtobufFields.tag(ScopeMetrics.METRICS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int NAME = ProtobufFields.tag(Metric.NAME_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int UNIT = ProtobufFields.tag(Metric.UNIT_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int GAUGE = ProtobufFields.tag(Metric.GAUGE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int SUM = ProtobufFields.tag(Metric.SUM_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int GAUGE_POINTS = ProtobufFields.tag(Gauge.DATA_POINTS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int SUM_POINTS = ProtobufFields.tag(Sum.DATA_POINTS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int SUM_TEMPORALITY = ProtobufFields.tag(Sum.AGGREGATION_TEMPORALITY_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
    private static final int SUM_MONOTONIC = ProtobufFields.tag(Sum.IS_MONOTONIC_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
    private static final int ATTRIBUTES = ProtobufFields.tag(NumberDataPoint.ATTRIBUTES_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int START_TIME = ProtobufFields.tag(NumberDataPoint.START_TIME_UNIX_NANO_FIELD_NUMBER, WireFormat.WIRETYPE_FIXED64);
    private static final int TIME = ProtobufFields.tag(NumberDataPoint.TIME_UNIX_NANO_FIELD_NUMBER, WireFormat.WIRETYPE_FIXED64);
    private static final int AS_DOUBLE = ProtobufFields.tag(NumberDataPoint.AS_DOUBLE_FIELD_NUMBER, WireFormat.WIRETYPE_FIXED64);
    private static final int AS_INT = ProtobufFields.tag(NumberDataPoint.AS_INT_FIELD_NUMBER, WireFormat.WIRETYPE_FIXED64);

    private final OtlpMapper mapper;
    private final byte[] request;
    private final List<Point> points = new ArrayList<>();
    private final Refusals refusals = new Refusals();

    OtlpWireReader(OtlpMapper mapper, byte[] request) {
        this.mapper = mapper;
        this.request = request;
    }

    /** The points of the request and those it could not map. */
    MappedRequest read() throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(request);
        ProtobufFields.read(in, tag -> {
            if (tag == RESOURCE_METRICS) {
                int length = in.readRawVarint32();
                int start = in.getTotalBytesRead();
                int limit = in.pushLimit(length);
                resourceMetrics(in, start, length);
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        });
        return new MappedRequest(points, refusals.list());
    }

    /**
     * A {@code ResourceMetrics}: its resource first, wherever it is in the message, then its metrics. A resource given
     * twice (the generated parser merges the two) is left to the generated parser. {@code in} is limited to it.
     */
    private void resourceMetrics(CodedInputStream in, int start, int length) throws IOException {
        int resourceStart = -1;
        int resourceLength = 0;
        int resources = 0;
        List<int[]> scopes = new ArrayList<>(1);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == RESOURCE) {
                resourceLength = in.readRawVarint32();
                resourceStart = in.getTotalBytesRead();
                in.skipRawBytes(resourceLength);
                resources++;
            } else if (tag == SCOPE_METRICS) {
                int scopeLength = in.readRawVarint32();
                scopes.add(new int[] {in.getTotalBytesRead(), scopeLength});
                in.skipRawBytes(scopeLength);
            } else {
                in.skipField(tag);
            }
        }
        if (resources > 1) {
            mapper.map(ResourceMetrics.parser().parseFrom(request, start, length), points, refusals);
            return;
        }
        Resource resource = resources == 0 ? Resource.getDefaultInstance()
                : Resource.parser().parseFrom(request, resourceStart, resourceLength);
        OtlpMapper.Resource context = mapper.resource(resource.getAttributesList());
        for (int[] scope : scopes) {
            scopeMetrics(CodedInputStream.newInstance(request, scope[0], scope[1]), scope[0], context);
        }
    }

    /** The metrics of the {@code ScopeMetrics} that {@code scope} reads, from {@code offset} in the request. */
    private void scopeMetrics(CodedInputStream scope, int offset, OtlpMapper.Resource resource) throws IOException {
        for (int tag = scope.readTag(); tag != 0; tag = scope.readTag()) {
            if (tag == METRICS) {
                int length = scope.readRawVarint32();
                int start = offset + scope.getTotalBytesRead();
                int limit = scope.pushLimit(length);
                metric(scope, offset, start, length, resource);
                scope.popLimit(limit);
            } else {
                scope.skipField(tag);
            }
        }
    }

    /**
     * A {@code Metric}: a gauge or a sum read point by point; any other (or one whose data is given more than once)
     * parsed whole and mapped as {@link OtlpMapper#map(ExportMetricsServiceRequest)} maps it. {@code scope} is limited
     * to it, and starts at {@code offset} in the request.
     */
    private void metric(CodedInputStream scope, int offset, int start, int length, OtlpMapper.Resource resource) throws IOException {
        String name = "";
        String unit = "";
        int dataTag = 0;
        int dataStart = -1;
        int dataLength = 0;
        int data = 0;
        for (int tag = scope.readTag(); tag != 0; tag = scope.readTag()) {
            if (tag == NAME) {
                name = scope.readStringRequireUtf8();
            } else if (tag == UNIT) {
                unit = scope.readStringRequireUtf8();
            } else if (WireFormat.getTagFieldNumber(tag) >= Metric.GAUGE_FIELD_NUMBER
                    && WireFormat.getTagFieldNumber(tag) <= Metric.SUMMARY_FIELD_NUMBER
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                data++;
                dataTag = tag;
                dataLength = scope.readRawVarint32();
                dataStart = offset + scope.getTotalBytesRead();
                scope.skipRawBytes(dataLength);
            } else {
                scope.skipField(tag);
            }
        }
        OtlpMapper.MetricMapping mapping = mapper.new MetricMapping(name, unit, resource, points, refusals);
        if (data != 1 || (dataTag != GAUGE && dataTag != SUM)) {
            mapping.map(Metric.parser().parseFrom(request, start, length));
            return;
        }
        PointKind kind = dataTag == GAUGE ? PointKind.GAUGE : sumKind(CodedInputStream.newInstance(request, dataStart, dataLength));
        numberPoints(CodedInputStream.newInstance(request, dataStart, dataLength), dataStart, dataTag == GAUGE ? GAUGE_POINTS : SUM_POINTS,
                mapping, kind);
    }

    /** How a sum's points are read, from its temporality and monotonicity (which may follow its points). */
    private static PointKind sumKind(CodedInputStream sum) throws IOException {
        AggregationTemporality temporality = AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED;
        boolean monotonic = false;
        for (int tag = sum.readTag(); tag != 0; tag = sum.readTag()) {
            if (tag == SUM_TEMPORALITY) {
                AggregationTemporality read = AggregationTemporality.forNumber(sum.readEnum());
                temporality = read == null ? AggregationTemporality.UNRECOGNIZED : read;
            } else if (tag == SUM_MONOTONIC) {
                monotonic = sum.readBool();
            } else {
                sum.skipField(tag);
            }
        }
        return OtlpMapper.sumKind(temporality, monotonic);
    }

    /** The {@code NumberDataPoint}s (field {@code pointsTag}) of a gauge or sum that {@code data} reads, from {@code offset}. */
    private void numberPoints(CodedInputStream data, int offset, int pointsTag, OtlpMapper.MetricMapping mapping, PointKind kind)
            throws IOException {
        for (int tag = data.readTag(); tag != 0; tag = data.readTag()) {
            if (tag != pointsTag) {
                data.skipField(tag);
                continue;
            }
            int length = data.readRawVarint32();
            int start = offset + data.getTotalBytesRead();
            int limit = data.pushLimit(length);
            numberPoint(data, offset, start, length, mapping, kind);
            data.popLimit(limit);
        }
    }

    /**
     * One {@code NumberDataPoint}: added with its kept series if its attributes' bytes (together in the message, as every
     * SDK writes them) find one and it has a value; parsed and mapped otherwise (a refusal if it has no value).
     */
    private void numberPoint(CodedInputStream data, int offset, int start, int length, OtlpMapper.MetricMapping mapping, PointKind kind)
            throws IOException {
        int attributesFrom = -1;
        int attributesTo = -1;
        boolean together = true;
        long time = 0;
        long startTime = 0;
        double value = 0;
        boolean hasValue = false;
        int fieldStart = start;
        for (int tag = data.readTag(); tag != 0; tag = data.readTag()) {
            if (tag == ATTRIBUTES) {
                data.skipField(tag);
                if (attributesFrom < 0) {
                    attributesFrom = fieldStart;
                } else if (attributesTo != fieldStart) {
                    together = false; // attributes between other fields: this point's series is keyed by them parsed
                }
                attributesTo = offset + data.getTotalBytesRead();
            } else if (tag == TIME) {
                time = data.readFixed64();
            } else if (tag == START_TIME) {
                startTime = data.readFixed64();
            } else if (tag == AS_DOUBLE) {
                value = data.readDouble();
                hasValue = true;
            } else if (tag == AS_INT) {
                value = data.readSFixed64();
                hasValue = true;
            } else {
                data.skipField(tag);
            }
            fieldStart = offset + data.getTotalBytesRead();
        }
        Fingerprint key = !together ? null
                : attributesFrom < 0 ? mapping.wireKey(request, 0, 0) : mapping.wireKey(request, attributesFrom, attributesTo);
        if (key == null || !hasValue || !mapping.addKept(key, time, startTime, value, kind)) {
            mapping.number(NumberDataPoint.parser().parseFrom(request, start, length), kind, key);
        }
    }
}
