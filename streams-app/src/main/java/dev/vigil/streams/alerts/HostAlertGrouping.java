package dev.vigil.streams.alerts;

import java.util.Collection;
import java.util.Objects;
import java.util.function.Function;

/**
 * The host step of the alert lifecycle, run once after each batch of a host, once every sample of the batch
 * has been through its {@link SeriesAlert}: many series of one host going anomalous together is one incident,
 * so the {@link HostAlert} moves with the number of the host's series whose alert is open, and the series
 * alerts that opened in this batch are announced on their own only while no host alert is open. When one is
 * open (or opens now, with them among its evidence) they are {@link SeriesAlert#absorb() absorbed}: they stay
 * silent to the end and the host alert speaks for them.
 *
 * <p>The streams application and the offline fleet evaluation both run this one class, so the evaluation
 * counts the openings the application would send.
 */
public final class HostAlertGrouping {

    /**
     * What one batch did at the host level.
     *
     * @param hostAlert       what happened to the host alert
     * @param openedAnnounced whether the series alerts that opened in the batch go out as OPENED of their own;
     *                        false when the host alert absorbed them
     */
    public record Outcome(HostAlert.Transition hostAlert, boolean openedAnnounced) {

        public Outcome {
            Objects.requireNonNull(hostAlert, "hostAlert can't be null");
        }
    }

    private HostAlertGrouping() {
    }

    /**
     * Moves the host alert after a batch and absorbs the series alerts that opened in it if the host alert is
     * open afterwards.
     *
     * @param hostAlert the host's alert, moved along
     * @param series    the host's series, or only those whose alert is open: only open alerts count, and the
     *                  highest of their peaks is the host alert's peak
     * @param opened    the series whose alert returned {@link SeriesAlert.Transition#OPENED} in this batch
     * @param alertOf   the alert of a series
     * @param time      the batch's time
     * @param <S>       whatever the caller keeps a series as
     */
    public static <S> Outcome afterBatch(HostAlert hostAlert, Collection<S> series, Collection<S> opened,
                                         Function<? super S, SeriesAlert> alertOf, long time, AlertPolicy policy) {
        int alerting = 0;
        double peak = 0;
        for (S one : series) {
            SeriesAlert alert = alertOf.apply(one);
            if (alert.isOpen()) {
                alerting++;
                peak = Math.max(peak, alert.peak());
            }
        }
        HostAlert.Transition transition = hostAlert.observe(time, alerting, peak, policy);
        if (!hostAlert.isOpen()) {
            return new Outcome(transition, true);
        }
        for (S one : opened) {
            alertOf.apply(one).absorb();
        }
        return new Outcome(transition, false);
    }
}
