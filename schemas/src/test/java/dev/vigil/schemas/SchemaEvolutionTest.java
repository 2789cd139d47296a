package dev.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    /**
     * The schema as written in src/main/avro, without the Java-specific properties code generation adds. Every
     * file is parsed, in name order as the Avro Maven plugin does, because one schema may use a type another
     * file defines (ScoreBatch holds AnomalyScores).
     */
    private static Schema source(String name) {
        Schema.Parser parser = new Schema.Parser();
        try (Stream<Path> files = Files.list(Path.of("src", "main", "avro"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                parser.parse(file.toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
        return parser.getTypes().get("dev.vigil.avro." + name);
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
