package dev.vigil.collectors.ingest;

import java.util.ArrayList;
import java.util.List;

/** Pushed samples waiting for the next tick; bounded, taken all-or-nothing per request. */
public final class PushBuffer {

    private final int capacity;
    private List<PushedSample> samples = new ArrayList<>();

    public PushBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Buffers every sample, or none when they would not all fit. */
    public synchronized boolean offer(List<PushedSample> pushed) {
        if (samples.size() + pushed.size() > capacity) {
            return false;
        }
        samples.addAll(pushed);
        return true;
    }

    /** Everything buffered so far, leaving the buffer empty. */
    public synchronized List<PushedSample> drain() {
        List<PushedSample> drained = samples;
        samples = new ArrayList<>();
        return drained;
    }

    public synchronized int size() {
        return samples.size();
    }
}
