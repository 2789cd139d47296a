package dev.vigil.detection;

/**
 * A detector's memory of each five-minute slot of the day: the profile offset the forecast adds to the level,
 * and the score that slot usually gets. It is kept apart from the rest of the detector's state because a
 * sample reads three slots and writes one: a state store can keep slots in their own entries and write a few
 * bytes per sample instead of the whole day ({@link AnomalyDetector#coreToBytes()}).
 */
public interface DailyProfile {

    /** Slots per day. */
    int SLOTS = 288;

    float offset(int slot);

    void offset(int slot, float value);

    float usualScore(int slot);

    void usualScore(int slot, float value);

    /** The slot of the day {@code timestampMillis} falls in (UTC). */
    static int slotOf(long timestampMillis) {
        return (int) Math.floorMod(timestampMillis / 300_000, (long) SLOTS);
    }

    /** A profile held in two arrays: what the offline evaluator and a detector on its own use. */
    static DailyProfile inMemory() {
        return new DailyProfile() {
            private final float[] offsets = new float[SLOTS];
            private final float[] usualScores = new float[SLOTS];

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
        };
    }
}
