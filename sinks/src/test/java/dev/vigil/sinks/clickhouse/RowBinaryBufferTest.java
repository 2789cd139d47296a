package dev.vigil.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RowBinaryBufferTest {

    @Test
    void shouldEncodeEachTypeAsClickHouseRowBinaryDoes() throws IOException {
        RowBinaryBuffer rows = new RowBinaryBuffer();
        rows.startRow();
        rows.uint8(7).uint16(0x0102).uint32(0x01020304L).int64(1).float64(1.0).float32(1.0f)
                .dateTime(1_000_000_000_123L).nullableDateTime(null).nullableDateTime(2000L).string("ab").string("é")
                .stringArray(List.of("x", "yz"));

        assertThat(hex(rows, 0, 1)).isEqualTo(
                "07" + "0201" + "04030201" + "0100000000000000" + "000000000000f03f" + "0000803f"
                        + "00ca9a3b" // 1,000,000,000 s, little-endian
                        + "01" + "00" + "02000000" // null; then not null, 2 s
                        + "026162" + "02c3a9" // length-prefixed UTF-8
                        + "02" + "0178" + "02797a");
    }

    @Test
    void shouldWriteAMapAsItsKeysArrayThenItsValuesArray() throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("cpu", "0");
        labels.put("state", "user");
        RowBinaryBuffer rows = new RowBinaryBuffer();
        rows.startRow();
        rows.nestedMap(labels);

        assertThat(hex(rows, 0, 1)).isEqualTo("02" + "03637075" + "057374617465" + "02" + "0130" + "0475736572");
    }

    @Test
    void shouldWriteLongLengthsAsVarints() throws IOException {
        RowBinaryBuffer rows = new RowBinaryBuffer();
        rows.startRow();
        rows.string("a".repeat(300));

        assertThat(hex(rows, 0, 1)).startsWith("ac02" + "61"); // 300 = 0b10_0101100 -> 0xAC 0x02
        assertThat(rows.bytes()).isEqualTo(302);
    }

    @Test
    void shouldWriteAnyRangeOfRowsAndDropAHalfWrittenOne() throws IOException {
        RowBinaryBuffer rows = new RowBinaryBuffer();
        for (int i = 0; i < 3; i++) {
            rows.startRow();
            rows.uint8(i);
        }
        rows.startRow();
        rows.uint8(9);
        rows.dropLastRow();

        assertThat(rows.rows()).isEqualTo(3);
        assertThat(hex(rows, 1, 3)).isEqualTo("0102");
        assertThat(hex(rows, 3, 3)).as("an empty range").isEmpty();
    }

    @Test
    void shouldRefuseATimeADateTimeCannotHold() {
        RowBinaryBuffer rows = new RowBinaryBuffer();
        rows.startRow();

        assertThatThrownBy(() -> rows.dateTime(-1000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1970 to 2106");
        assertThatThrownBy(() -> rows.dateTime(5_000_000_000_000L)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String hex(RowBinaryBuffer rows, int from, int to) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rows.writeRows(from, to, out);
        return HexFormat.of().formatHex(out.toByteArray());
    }
}
