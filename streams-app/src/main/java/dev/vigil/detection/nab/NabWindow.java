package dev.vigil.detection.nab;

import java.time.LocalDateTime;

/** One labelled anomaly window, both ends inclusive and equal to row timestamps of its file. */
public record NabWindow(LocalDateTime start, LocalDateTime end) {
}
