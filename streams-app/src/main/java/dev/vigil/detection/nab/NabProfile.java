package dev.vigil.detection.nab;

import java.util.List;

/**
 * A NAB cost profile: what a true positive earns and what a missed window and a false positive cost.
 *
 * @param name     as NAB names it
 * @param tpWeight A_TP
 * @param fnWeight A_FN
 * @param fpWeight A_FP
 */
public record NabProfile(String name, double tpWeight, double fnWeight, double fpWeight) {

    public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 1.0, 0.11);
    public static final NabProfile REWARD_LOW_FP = new NabProfile("reward_low_FP_rate", 1.0, 1.0, 0.22);
    public static final NabProfile REWARD_LOW_FN = new NabProfile("reward_low_FN_rate", 1.0, 2.0, 0.11);

    /** The three profiles NAB reports, in its order. */
    public static final List<NabProfile> ALL = List.of(STANDARD, REWARD_LOW_FP, REWARD_LOW_FN);
}
