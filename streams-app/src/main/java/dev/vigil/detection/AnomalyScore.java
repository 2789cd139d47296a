package dev.vigil.detection;

/**
 * What the detector makes of one sample.
 *
 * @param expected the forecast for this sample, made before seeing it
 * @param lower    lower bound of the prediction interval
 * @param upper    upper bound of the prediction interval
 * @param score    anomaly score in [0, 1]; 0 while learning
 * @param learning true while the series is too young to judge
 */
public record AnomalyScore(double expected, double lower, double upper, double score, boolean learning) {
}
