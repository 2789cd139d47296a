package dev.vigil.sinks.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Rows in ClickHouse's {@code RowBinary} format, appended one after another into one growing byte array,
 * with where each row starts, so that a batch can be sent whole or split (to find a row the server refuses).
 *
 * <p>RowBinary rather than a text format because it costs least on both sides: numbers are little-endian
 * and fixed-width, strings are a varint length and their UTF-8 bytes, so the sink does no formatting and
 * the server no parsing. Every server from 18.16 on reads it (unlike {@code RowBinaryWithNamesAndTypes}).
 */
public final class RowBinaryBuffer {

    private byte[] bytes = new byte[64 * 1024];
    private int size;
    private int[] rowStarts = new int[1024];
    private int rows;

    /** Marks the start of a new row; write its columns next, in the table's column order. */
    public void startRow() {
        if (rows == rowStarts.length) {
            rowStarts = Arrays.copyOf(rowStarts, rows * 2);
        }
        rowStarts[rows++] = size;
    }

    /** Forgets the row started last (its columns could not all be written). */
    public void dropLastRow() {
        size = rowStarts[--rows];
    }

    public int rows() {
        return rows;
    }

    public int bytes() {
        return size;
    }

    public void clear() {
        size = 0;
        rows = 0;
    }

    /** Writes rows {@code [from, to)} as one RowBinary stream. */
    public void writeRows(int from, int to, OutputStream out) throws IOException {
        int start = from == rows ? size : rowStarts[from];
        int end = to == rows ? size : rowStarts[to];
        out.write(bytes, start, end - start);
    }

    public RowBinaryBuffer uint8(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    public RowBinaryBuffer bool(boolean value) {
        return uint8(value ? 1 : 0);
    }

    /** An {@code Enum8} value: its number in the column's definition. */
    public RowBinaryBuffer enum8(int value) {
        return uint8(value);
    }

    public RowBinaryBuffer uint16(int value) {
        ensure(2);
        bytes[size++] = (byte) value;
        bytes[size++] = (byte) (value >>> 8);
        return this;
    }

    public RowBinaryBuffer uint32(long value) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    public RowBinaryBuffer int64(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    public RowBinaryBuffer float64(double value) {
        return int64(Double.doubleToRawLongBits(value));
    }

    public RowBinaryBuffer float32(float value) {
        return uint32(Float.floatToRawIntBits(value) & 0xFFFF_FFFFL);
    }

    /**
     * A {@code DateTime}: seconds since 1970 as UInt32.
     *
     * @throws IllegalArgumentException for a time a DateTime cannot hold (before 1970 or after 2106), which the
     *                                  server would otherwise store wrapped around
     */
    public RowBinaryBuffer dateTime(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000);
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("time " + epochMillis + " ms is outside what a ClickHouse DateTime holds (1970 to 2106)");
        }
        return uint32(seconds);
    }

    /** A {@code Nullable(DateTime)}. */
    public RowBinaryBuffer nullableDateTime(Long epochMillis) {
        if (epochMillis == null) {
            return uint8(1);
        }
        uint8(0);
        return dateTime(epochMillis);
    }

    public RowBinaryBuffer string(String value) {
        int length = value.length();
        boolean ascii = true;
        for (int i = 0; i < length && ascii; i++) {
            ascii = value.charAt(i) < 0x80;
        }
        if (!ascii) {
            return bytes(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        varint(length);
        ensure(length);
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) value.charAt(i);
        }
        return this;
    }

    public RowBinaryBuffer bytes(byte[] value) {
        varint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
        return this;
    }

    public RowBinaryBuffer stringArray(List<String> values) {
        varint(values.size());
        for (String value : values) {
            string(value);
        }
        return this;
    }

    public RowBinaryBuffer float64Array(double[] values) {
        varint(values.length);
        for (double value : values) {
            float64(value);
        }
        return this;
    }

    /**
     * A map as a {@code Nested(key String, value String)} column pair: the keys array, then the values array,
     * in the map's iteration order (sorted maps give sorted keys).
     */
    public RowBinaryBuffer nestedMap(Map<String, String> map) {
        varint(map.size());
        for (String key : map.keySet()) {
            string(key);
        }
        varint(map.size());
        for (String value : map.values()) {
            string(value);
        }
        return this;
    }

    private void varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
