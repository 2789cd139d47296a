package dev.vigil.remediation.executors;

import dev.vigil.actions.ActionOutcome;

/** Runs actions: {@link #run} blocks until the action ends and says how it went. */
public interface ActionRunner extends AutoCloseable {

    ActionOutcome run(ActionRequest request);

    /** Releases what the runner holds; nothing by default. */
    @Override
    default void close() {
    }
}
