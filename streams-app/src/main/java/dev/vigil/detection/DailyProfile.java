package dev.vigil.detection;

/**
 * A detector's memory of the time of day: per five-minute slot the profile offset the forecast adds to the
 * level and the score that slot usually gets, and per hour the lowest and highest value read in it. It is
 * kept apart from the rest of the detector's state because a sample reads a few slots and hours and writes
 * one of each: a state store can keep them in their own entries and write a few bytes per sample instead of
 * the whole day ({@link AnomalyDetector#coreToBytes()}).
 */
public interface DailyProfile {

    /** Slots per day. */
    int SLOTS = 288;
    /** Hours per day. */
    int HOURS = 24;

    float offset(int slot);

    void offset(int slot, float value);

    float usualScore(int slot);

    void usualScore(int slot, float value);

    /**
     * The lowest and highest value read in {@code hour} so far, as {@code [low, high]}; {@code low > high}
     * (positive and negative infinity) while none was. Stored as floats rounded outwards, so a value once read
     * is never outside its hour's range.
     */
    float hourLow(int hour);

    float hourHigh(int hour);

    /** Widens {@code hour}'s range to take in {@code value}. */
    default void widenHour(int hour, double value) {
        if (value < hourLow(hour)) {
            setHourLow(hour, roundedDown(value));
        }
        if (value > hourHigh(hour)) {
            setHourHigh(hour, roundedUp(value));
        }
    }

    void setHourLow(int hour, float low);

    void setHourHigh(int hour, float high);

    /** The largest float not above {@code value}. */
    static float roundedDown(double value) {
        float f = (float) value;
        return f > value ? Math.nextDown(f) : f;
    }

    /** The smallest float not below {@code value}. */
    static float roundedUp(double value) {
        float f = (float) value;
        return f < value ? Math.nextUp(f) : f;
    }

    /** The slot of the day {@code timestampMillis} falls in (UTC). */
    static int slotOf(long timestampMillis) {
        return (int) Math.floorMod(timestampMillis / 300_000, (long) SLOTS);
    }

    /** A profile held in arrays: what the offline evaluator and a detector on its own use. */
    static DailyProfile inMemory() {
        return new DailyProfile() {
            private final float[] offsets = new float[SLOTS];
            private final float[] usualScores = new float[SLOTS];
            private final float[] hourLows = filled(Float.POSITIVE_INFINITY);
            private final float[] hourHighs = filled(Float.NEGATIVE_INFINITY);

            private static float[] filled(float value) {
                float[] hours = new float[HOURS];
                java.util.Arrays.fill(hours, value);
                return hours;
            }

            @Override
            public float offset(int slot) {
                return offsets[slot];
            }

            @Override
            public void offset(int slot, float value) {
                offsets[slot] = value;
            }

            @Override
            public float usualScore(int slot) {
                return usualScores[slot];
            }

            @Override
            public void usualScore(int slot, float value) {
                usualScores[slot] = value;
            }

            @Override
            public float hourLow(int hour) {
                return hourLows[hour];
            }

            @Override
            public float hourHigh(int hour) {
                return hourHighs[hour];
            }

            @Override
            public void setHourLow(int hour, float low) {
                hourLows[hour] = low;
            }

            @Override
            public void setHourHigh(int hour, float high) {
                hourHighs[hour] = high;
            }
        };
    }
}
