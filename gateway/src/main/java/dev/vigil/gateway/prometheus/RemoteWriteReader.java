package dev.vigil.gateway.prometheus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import dev.vigil.gateway.ProtobufFields;
import dev.vigil.gateway.model.Fingerprint;
import dev.vigil.gateway.model.KeptMappings;
import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.Refusals;
import dev.vigil.gateway.prometheus.prompb.Remote.WriteRequest;
import dev.vigil.gateway.prometheus.prompb.Types;

/**
 * Reads a decompressed remote-write 1.0 {@code WriteRequest} into the gateway's points, series by series, and keeps
 * what each series became so that the next request's samples of the same series cost no strings, maps or generated
 * messages. A sender writes the same series with the same label bytes every time (Prometheus sorts them), so the
 * {@link Fingerprint} of a series' label bytes is its key here:
 * <ul>
 *   <li>a series whose label bytes were seen before takes its kept {@link PrometheusMapper.SeriesMapping}, and only its
 *       samples are read;</li>
 *   <li>any other is parsed with the generated {@link Types.TimeSeries} parser (which checks its strings are UTF-8),
 *       checked (a {@code __name__}, no label twice) and mapped by {@link PrometheusMapper#mapSeries}, then kept.</li>
 * </ul>
 * The wire format is read by protobuf's own {@link CodedInputStream} with the generated classes' field numbers;
 * unknown fields are skipped as the generated parser skips them. What a series becomes depends on its family's type,
 * so the kept series are forgotten when the types learnt from metadata change ({@link #forgetSeries}); at most
 * {@code maxKnownSeries} are kept ({@link KeptMappings}). Thread-safe.
 */
public final class RemoteWriteReader {

    /** What one request held: its points and refusals, how many native histograms it carried, and what is wrong with it. */
    public record Read(MappedRequest mapped, int nativeHistograms, List<String> problems) {
    }

    /** The label that carries the series name. */
    public static final String NAME_LABEL = "__name__";

    private static final int TIMESERIES = ProtobufFields.tag(WriteRequest.TIMESERIES_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int METADATA = ProtobufFields.tag(WriteRequest.METADATA_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int LABEL = ProtobufFields.tag(Types.TimeSeries.LABELS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int SAMPLE = ProtobufFields.tag(Types.TimeSeries.SAMPLES_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int HISTOGRAM = ProtobufFields.tag(Types.TimeSeries.HISTOGRAMS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int SAMPLE_VALUE = ProtobufFields.tag(Types.Sample.VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_FIXED64);
    private static final int SAMPLE_TIMESTAMP = ProtobufFields.tag(Types.Sample.TIMESTAMP_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);

    /** A kept series: its name (for messages) and what it becomes. */
    private record Known(String name, PrometheusMapper.SeriesMapping mapping) {
    }

    private final PrometheusMapper mapper;
    private final KeptMappings<Known> known;

    /**
     * @param mapper         maps a series seen for the first time
     * @param maxKnownSeries how many series' mappings are kept
     */
    public RemoteWriteReader(PrometheusMapper mapper, int maxKnownSeries) {
        this.mapper = mapper;
        this.known = new KeptMappings<>(maxKnownSeries);
    }

    /** The family types the request's metadata announces (Prometheus sends them in requests of their own). */
    public static Map<String, PromType> familyTypes(byte[] request) throws InvalidProtocolBufferException {
        Map<String, PromType> types = new HashMap<>();
        CodedInputStream in = CodedInputStream.newInstance(request);
        ProtobufFields.read(in, tag -> {
            if (tag == METADATA) {
                Types.MetricMetadata metadata = in.readMessage(Types.MetricMetadata.parser(), ExtensionRegistryLite.getEmptyRegistry());
                types.put(metadata.getMetricFamilyName(), PromType.of(metadata.getType()));
            } else {
                in.skipField(tag);
            }
        });
        return types;
    }

    /**
     * The points of {@code request}'s series, their families' types as {@code familyTypes} knows them.
     *
     * @throws InvalidProtocolBufferException when it is not a {@code WriteRequest}
     */
    public Read read(byte[] request, Function<String, PromType> familyTypes) throws InvalidProtocolBufferException {
        RequestReading reading = new RequestReading(request, familyTypes);
        ProtobufFields.read(reading.in, reading::field);
        return new Read(new MappedRequest(reading.points, reading.refusals.list()), reading.nativeHistograms, reading.problems);
    }

    /** One request being read: where, and its points, refusals and problems so far. */
    private final class RequestReading {
        private final byte[] request;
        private final Function<String, PromType> familyTypes;
        private final CodedInputStream in;
        private final List<Point> points = new ArrayList<>();
        private final Refusals refusals = new Refusals();
        private final List<String> problems = new ArrayList<>();
        private final SeriesScratch scratch = new SeriesScratch();
        private int nativeHistograms;
        private int index;

        RequestReading(byte[] request, Function<String, PromType> familyTypes) {
            this.request = request;
            this.familyTypes = familyTypes;
            this.in = CodedInputStream.newInstance(request);
        }

        /** One field of the {@code WriteRequest}: a series is read, anything else skipped. */
        void field(int tag) throws IOException {
            if (tag != TIMESERIES) {
                in.skipField(tag);
                return;
            }
            int length = in.readRawVarint32();
            int start = in.getTotalBytesRead();
            int limit = in.pushLimit(length);
            scratch.read(in, start);
            in.popLimit(limit);
            nativeHistograms += scratch.histograms;
            Fingerprint labels = scratch.labelsContiguous && known.keeps()
                    ? Fingerprint.START.with(request, scratch.labelsFrom, scratch.labelsTo).finished() : null;
            Known series = labels == null ? null : known.get(labels);
            if (series == null) {
                series = firstSight(request, start, length, scratch, familyTypes, index, problems, labels);
            }
            if (series != null) {
                for (int s = 0; s < scratch.samples; s++) {
                    series.mapping.add(series.name, scratch.values[s], scratch.timestamps[s], points, refusals);
                }
            }
            index++;
        }
    }

    /** Forgets every kept series: what they become may have changed (the family types did). */
    public void forgetSeries() {
        known.forget();
    }

    /** How many series' mappings are kept. */
    public int knownSeries() {
        return known.size();
    }

    /**
     * A series not kept: parsed by the generated parser, checked, mapped and kept under {@code labelBytes} (if not null);
     * null (with a problem) if wrong.
     */
    private Known firstSight(byte[] request, int start, int length, SeriesScratch scratch, Function<String, PromType> familyTypes, int index,
                             List<String> problems, Fingerprint labelBytes) throws InvalidProtocolBufferException {
        Types.TimeSeries series = Types.TimeSeries.parser().parseFrom(request, start, length);
        String name = null;
        Map<String, String> labels = new HashMap<>();
        for (Types.Label label : series.getLabelsList()) {
            if (NAME_LABEL.equals(label.getName())) {
                name = label.getValue();
            } else if (labels.put(label.getName(), label.getValue()) != null) {
                problems.add("timeseries[" + index + "]: label '" + label.getName() + "' twice");
                return null;
            }
        }
        if (name == null || name.isEmpty()) {
            if (scratch.samples > 0) {
                problems.add("timeseries[" + index + "]: no __name__ label");
            }
            return null;
        }
        Known mapped = new Known(name, mapper.mapSeries(name, labels, familyTypes));
        if (labelBytes != null) {
            known.keep(labelBytes, mapped);
        }
        return mapped;
    }

    /** What one pass over a {@code TimeSeries} found: where its labels are, its samples, its native histograms. */
    private static final class SeriesScratch {
        int labelsFrom;
        int labelsTo;
        boolean labelsContiguous;
        int samples;
        int histograms;
        double[] values = new double[8];
        long[] timestamps = new long[8];

        /** Reads the series {@code in} is limited to, which starts at {@code start}. */
        void read(CodedInputStream in, int start) throws IOException {
            labelsFrom = -1;
            labelsTo = -1;
            labelsContiguous = true;
            samples = 0;
            histograms = 0;
            int fieldStart = start;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == LABEL) {
                    in.skipField(tag);
                    if (labelsFrom < 0) {
                        labelsFrom = fieldStart;
                    } else if (labelsTo != fieldStart) {
                        labelsContiguous = false; // labels between other fields: this series is not kept
                    }
                    labelsTo = in.getTotalBytesRead();
                } else if (tag == SAMPLE) {
                    readSample(in);
                } else if (tag == HISTOGRAM) {
                    histograms++;
                    in.skipField(tag);
                } else {
                    in.skipField(tag);
                }
                fieldStart = in.getTotalBytesRead();
            }
            if (labelsFrom < 0) {
                labelsContiguous = false;
            }
        }

        private void readSample(CodedInputStream in) throws IOException {
            int limit = in.pushLimit(in.readRawVarint32());
            double value = 0;
            long timestamp = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == SAMPLE_VALUE) {
                    value = in.readDouble();
                } else if (tag == SAMPLE_TIMESTAMP) {
                    timestamp = in.readInt64();
                } else {
                    in.skipField(tag);
                }
            }
            in.popLimit(limit);
            if (samples == values.length) {
                values = Arrays.copyOf(values, samples * 2);
                timestamps = Arrays.copyOf(timestamps, samples * 2);
            }
            values[samples] = value;
            timestamps[samples] = timestamp;
            samples++;
        }
    }
}
