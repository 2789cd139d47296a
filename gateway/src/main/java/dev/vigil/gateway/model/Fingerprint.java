package dev.vigil.gateway.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A 128-bit fingerprint of what a series was mapped from, built step by step ({@link #with}) and then
 * {@link #finished()}: what {@link KeptMappings} finds a kept series again by, so that a lookup compares two numbers
 * instead of following the series' labels through memory. Two different inputs share a fingerprint only if two
 * different 64-bit hashes (an FNV-1a-like and a multiply-rotate step, each finished by MurmurHash3's mixer) both
 * collide: for well-mixed hashes a chance of about n^2 / 2^129 (1 in 10^29 for 100,000 series). They are not
 * cryptographic: a publisher could aim for a collision, but only with series it sends itself, as any host it likes.
 *
 * @param first  the first hash
 * @param second the second hash
 */
public record Fingerprint(long first, long second) {

    /** Where every fingerprint starts. */
    public static final Fingerprint START = new Fingerprint(0xcbf29ce484222325L, 0x84222325cbf29ce4L);

    /** Ends every string, so that ("ab", "c") and ("a", "bc") differ; outside the range of a char. */
    private static final int END = 0x10000;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** This fingerprint followed by {@code text}. */
    public Fingerprint with(String text) {
        long a = first;
        long b = second;
        for (int i = 0; i < text.length(); i++) {
            a = firstStep(a, text.charAt(i));
            b = secondStep(b, text.charAt(i));
        }
        return new Fingerprint(firstStep(a, END), secondStep(b, END));
    }

    /** This fingerprint followed by {@code symbol}. */
    public Fingerprint with(int symbol) {
        return new Fingerprint(firstStep(first, symbol), secondStep(second, symbol));
    }

    /**
     * This fingerprint followed by {@code bytes[from, to)}, eight bytes a step: a remote-write series' labels are a
     * hundred bytes or more, read for every sample.
     */
    public Fingerprint with(byte[] bytes, int from, int to) {
        long a = firstStep(first, to - from);
        long b = secondStep(second, to - from);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            a = firstStep(a, word);
            b = secondStep(b, word);
        }
        for (; i < to; i++) {
            a = firstStep(a, bytes[i]);
            b = secondStep(b, bytes[i]);
        }
        return new Fingerprint(a, b);
    }

    /** The fingerprint to look up or keep by: both hashes mixed, so that every input bit moves every output bit. */
    public Fingerprint finished() {
        return new Fingerprint(mix(first), mix(second));
    }

    /** FNV-1a's step. */
    private static long firstStep(long hash, long symbol) {
        return (hash ^ symbol) * 0x100000001b3L;
    }

    /** A multiply-rotate step, unlike FNV's, so that the two halves do not collide together. */
    private static long secondStep(long hash, long symbol) {
        return Long.rotateLeft((hash ^ symbol) * 0x9e3779b97f4a7c15L, 29);
    }

    /** MurmurHash3's finaliser. */
    private static long mix(long h) {
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
