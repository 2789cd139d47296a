package dev.vigil.streams.state;

import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.vigil.detection.DailyProfile;

/**
 * The daily profiles of one host's series, kept as one page per slot of the day: page {@code (host, slot)}
 * holds, for every series of the host in order, its profile offset and usual score for that slot; and one
 * page per hour of the day with each series' range in that hour. A batch
 * reads the few pages its samples touch (the slot, its neighbours, a forecast's slot) and writes back the
 * ones it changed: a few hundred bytes, where the whole profile of every series would be tens of kilobytes.
 */
public final class DailyProfilePages {

    /** Where the pages live: a state store in the application, nothing at all for a read-only view. */
    public interface Source {
        /** The page of {@code slot}, or null if none was ever written. */
        byte[] get(int slot);

        void put(int slot, byte[] page);

        /** A source with no pages that keeps nothing: for views that never score. */
        Source EMPTY = new Source() {
            @Override
            public byte[] get(int slot) {
                return null;
            }

            @Override
            public void put(int slot, byte[] page) {
                // nothing is kept
            }
        };
    }

    /**
     * Pages after the slots of the day hold the hours: page {@code SLOTS + hour} has each series' lowest and
     * highest value in that hour, NaN where a series has none yet.
     */
    static final int HOUR_PAGES = DailyProfile.SLOTS;
    /** Pages per host: the slots of the day, then the hours. */
    public static final int PAGES = DailyProfile.SLOTS + DailyProfile.HOURS;

    private final Source source;
    /** The pages read so far, by slot; null until read. Arrays, not maps: every sample reads about twenty. */
    private final float[][] pages = new float[PAGES][];
    private final boolean[] changed = new boolean[PAGES];

    public DailyProfilePages(Source source) {
        this.source = source;
    }

    /** The profile of the series at {@code index} in its host's order. */
    public DailyProfile forSeries(int index) {
        int offsetAt = 2 * index;
        return new DailyProfile() {
            @Override
            public float offset(int slot) {
                float[] page = page(slot);
                return offsetAt < page.length ? page[offsetAt] : 0;
            }

            @Override
            public void offset(int slot, float value) {
                writable(slot, offsetAt)[offsetAt] = value;
            }

            @Override
            public float usualScore(int slot) {
                float[] page = page(slot);
                return offsetAt + 1 < page.length ? page[offsetAt + 1] : 0;
            }

            @Override
            public void usualScore(int slot, float value) {
                writable(slot, offsetAt + 1)[offsetAt + 1] = value;
            }

            @Override
            public float hourLow(int hour) {
                float[] page = page(HOUR_PAGES + hour);
                return offsetAt < page.length && !Float.isNaN(page[offsetAt]) ? page[offsetAt] : Float.POSITIVE_INFINITY;
            }

            @Override
            public float hourHigh(int hour) {
                float[] page = page(HOUR_PAGES + hour);
                return offsetAt + 1 < page.length && !Float.isNaN(page[offsetAt + 1]) ? page[offsetAt + 1] : Float.NEGATIVE_INFINITY;
            }

            @Override
            public void setHourLow(int hour, float low) {
                writable(HOUR_PAGES + hour, offsetAt)[offsetAt] = low;
            }

            @Override
            public void setHourHigh(int hour, float high) {
                writable(HOUR_PAGES + hour, offsetAt + 1)[offsetAt + 1] = high;
            }
        };
    }

    /** Writes back the pages that changed. */
    public void flush() {
        for (int slot = 0; slot < PAGES; slot++) {
            if (changed[slot]) {
                float[] page = pages[slot];
                ByteBuffer bytes = ByteBuffer.allocate(page.length * Float.BYTES);
                for (float value : page) {
                    bytes.putFloat(value);
                }
                source.put(slot, bytes.array());
                changed[slot] = false;
            }
        }
    }

    private float[] page(int slot) {
        float[] page = pages[slot];
        if (page == null) {
            page = read(slot);
            pages[slot] = page;
        }
        return page;
    }

    private float[] read(int slot) {
        byte[] bytes = source.get(slot);
        if (bytes == null) {
            return new float[0];
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        float[] page = new float[bytes.length / Float.BYTES];
        for (int i = 0; i < page.length; i++) {
            page[i] = in.getFloat();
        }
        return page;
    }

    private float[] writable(int slot, int position) {
        float[] page = page(slot);
        if (position >= page.length) {
            float[] grown = new float[Math.max(position + 2, page.length * 3 / 2)];
            if (slot >= HOUR_PAGES) {
                Arrays.fill(grown, page.length, grown.length, Float.NaN); // hours other series have not read yet
            }
            System.arraycopy(page, 0, grown, 0, page.length);
            page = grown;
            pages[slot] = page;
        }
        changed[slot] = true;
        return page;
    }
}
