package dev.vigil.collectors.ingest;

import java.util.List;

/** What became of one push: every sample accepted, or the whole request refused with a reason. */
public sealed interface PushResult {

    /** All samples were valid and are buffered for the next batch. */
    record Accepted(List<PushedSample> samples) implements PushResult {
        public Accepted {
            samples = List.copyOf(samples);
        }
    }

    /**
     * Nothing was taken.
     *
     * @param status  the HTTP status to answer with (400, 413, 415, 429 ...)
     * @param reason  machine-readable cause, also the metric tag
     * @param message what was wrong, naming the field
     */
    record Rejected(int status, String reason, String message) implements PushResult {
    }
}
