package dev.vigil.detection;

/**
 * What a detector expects a series to read at some time, with the band it expects the value in.
 *
 * @param expected the forecast
 * @param lower    lower end of the band
 * @param upper    upper end of the band
 */
public record Prediction(double expected, double lower, double upper) {
}
