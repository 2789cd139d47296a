package dev.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaParser;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.vigil.avro.AnomalyReason;
import dev.vigil.avro.AnomalyScore;

/**
 * Every topic's schema stays BACKWARD compatible with every version it ever had, so consumers can be
 * upgraded before or after producers in a rolling upgrade.
 *
 * <p>Released versions live in {@code src/test/resources/schema-history/<Name>/v<N>.avsc}. Changing a
 * schema means adding the next {@code vN.avsc}: the newest file must equal the current schema, which
 * keeps the history complete.
 */
class SchemaEvolutionTest {

    static Stream<Schema> currentSchemas() {
        return Topics.ALL.stream().map(spec -> SpecificData.get().getSchema(spec.valueType()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void shouldHaveItsCurrentFormAsTheNewestVersionInTheHistory(Schema current) {
        List<Schema> history = history(current.getName());

        assertThat(history).as("versions of %s in schema-history", current.getName()).isNotEmpty();
        assertThat(history.get(history.size() - 1).toString())
                .as("newest schema-history version of %s; add v%d.avsc when you change it", current.getName(), history.size() + 1)
                .isEqualTo(source(current.getName()).toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void shouldReadEveryEarlierVersion(Schema current) {
        for (Schema earlier : history(current.getName())) {
            var result = SchemaCompatibility.checkReaderWriterCompatibility(current, earlier);
            assertThat(result.getType()).as("%s reading an earlier version: %s", current.getName(),
                    result.getResult().getIncompatibilities()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void shouldCatchAFieldAddedWithoutADefault() {
        Schema current = SpecificData.get().getSchema(dev.vigil.avro.MetricBatch.class);
        Schema broken = new Schema.Parser().parse(current.toString()
                .replace("{\"name\":\"sequence\"", "{\"name\":\"region\",\"type\":\"string\"},{\"name\":\"sequence\""));

        var result = SchemaCompatibility.checkReaderWriterCompatibility(broken, current);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void shouldReadAnAnomalyReasonOfALaterReleaseAsNoneAndKeepItsNumbers() throws IOException {
        Schema current = AnomalyScore.getClassSchema();
        Schema later = new Schema.Parser().parse(current.toString().replace("\"VOLATILITY_CHANGE\"]", "\"VOLATILITY_CHANGE\",\"SEASONAL_BREAK\"]"));
        GenericRecord written = new GenericData.Record(later);
        for (Schema.Field field : later.getFields()) {
            written.put(field.name(), field.hasDefaultValue() ? GenericData.get().getDefaultValue(field) : null);
        }
        written.put("hostId", "host-1");
        written.put("metric", "m");
        written.put("seriesId", "s-1");
        written.put("timestamp", 1_700_000_000_000L);
        written.put("value", 2.0);
        written.put("expected", 1.0);
        written.put("lower", 0.5);
        written.put("upper", 1.5);
        written.put("score", 0.9);
        written.put("reason", new GenericData.EnumSymbol(later.getField("reason").schema().getTypes().get(1), "SEASONAL_BREAK"));
        written.put("reasonObserved", 2.0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(later).write(written, encoder);
        encoder.flush();

        AnomalyScore read = new SpecificDatumReader<AnomalyScore>(later, current)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, later).getType()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(read.getReason()).isEqualTo(AnomalyReason.NONE);
        assertThat(read.getReasonObserved()).isEqualTo(2.0);
        assertThat(read.getScore()).isEqualTo(0.9);
    }

    /**
     * The schema as written in src/main/avro, without the Java-specific properties code generation adds. Every
     * file is parsed into one {@link SchemaParser}, as the Avro Maven plugin does, because one schema may use a
     * type another file defines, even one whose file comes later (Alert and AnomalyScore use AnomalyReason).
     */
    private static Schema source(String name) {
        SchemaParser parser = new SchemaParser();
        try (Stream<Path> files = Files.list(Path.of("src", "main", "avro"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                parser.parse(file.toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
        return parser.getParsedNamedSchemas().stream().filter(schema -> schema.getFullName().equals("dev.vigil.avro." + name))
                .findFirst().orElseThrow(() -> new AssertionError("no schema dev.vigil.avro." + name + " in src/main/avro"));
    }

    private static List<Schema> history(String name) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = "/schema-history/" + name + "/v" + version + ".avsc";
            try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(resource)) {
                if (in == null) {
                    break;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException(resource, e);
            }
        }
        return versions;
    }
}
