package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import dev.vigil.avro.MetricBatch;

class AvroSerdesTest {

    private static final String URL = "http://registry.invalid:8081";

    /** Stands in for Confluent's SpecificAvroSerde: a Serde with a no-argument constructor. */
    public static final class ReplacementSerde extends Serdes.WrapperSerde<Object> {
        Map<String, Object> configuredWith;
        Boolean configuredAsKey;

        public ReplacementSerde() {
            super((topic, data) -> new byte[0], (topic, data) -> null);
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            this.configuredWith = new HashMap<>(configs);
            this.configuredAsKey = isKey;
        }
    }

    @Test
    void shouldBuildVigilsOwnSerdesByDefault() {
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", URL))) {
            Serde<MetricBatch> serde = serdes.valueSerde(MetricBatch.class);

            assertThat(serde.serializer()).isInstanceOf(AvroSerializer.class);
            assertThat(serde.deserializer()).isInstanceOf(AvroDeserializer.class);
        }
    }

    @Test
    void shouldSwapInTheConfiguredSerdeWithTheSameSettingsAndSpecificReading() {
        Map<String, Object> configs = new HashMap<>();
        configs.put("schema.registry.url", URL);
        configs.put("basic.auth.user.info", "u:p");
        configs.put(AvroSerdes.SERDE_CLASS, ReplacementSerde.class.getName());
        try (AvroSerdes serdes = new AvroSerdes(configs)) {
            Serde<MetricBatch> serde = serdes.valueSerde(MetricBatch.class);

            assertThat(serde).isInstanceOf(ReplacementSerde.class);
            ReplacementSerde replacement = (ReplacementSerde) (Object) serde;
            assertThat(replacement.configuredAsKey).isFalse();
            assertThat(replacement.configuredWith).containsEntry("schema.registry.url", URL)
                    .containsEntry("basic.auth.user.info", "u:p").containsEntry("specific.avro.reader", true);
        }
    }

    @Test
    void shouldNameTheKeyWhenTheReplacementClassIsMissing() {
        assertThatThrownBy(() -> new AvroSerdes(Map.of("schema.registry.url", URL, AvroSerdes.SERDE_CLASS, "com.example.Nope"))
                .valueSerde(MetricBatch.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining(AvroSerdes.SERDE_CLASS).hasMessageContaining("not found");
    }

    @Test
    void shouldRefuseAReplacementThatIsNotASerde() {
        assertThatThrownBy(() -> new AvroSerdes(Map.of("schema.registry.url", URL, AvroSerdes.SERDE_CLASS, "java.lang.Object"))
                .valueSerde(MetricBatch.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not a org.apache.kafka.common.serialization.Serde");
    }
}
