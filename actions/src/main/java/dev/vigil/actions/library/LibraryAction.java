package dev.vigil.actions.library;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vigil.actions.ActionOutcome;

/**
 * One action of Vigil's library, as a policy allow-lists it: its kind ({@code clean-files} ...) with its settings
 * checked ({@link ActionLibrary#define}). It is a value: running it takes an {@link ActionContext}, which holds
 * what runs need (the command executor, the CPU throttles to restore).
 */
public interface LibraryAction {

    /** The kind, as a policy names it. */
    default String kind() {
        return ActionLibrary.kindOf(this);
    }

    /** The parameters a rule must give it. */
    List<String> parameters();

    /**
     * Why a rule whose parameters read {@code templates} (with {@code {{...}}} alert fields still in them) could never
     * run this action: a fixed directory outside the allow-list, a unit the allow-list lacks. Judged when the policy
     * loads; everything that depends on the alert is checked again when it runs.
     */
    default Optional<String> refusal(Map<String, String> templates) {
        return Optional.empty();
    }

    /**
     * Does the work, with the parameters resolved from the alert.
     *
     * @throws ActionFailedException why it did not (a parameter refused, a process gone), for the outcome
     */
    ActionOutcome run(Map<String, String> parameters, ActionContext context) throws ActionFailedException, IOException;
}
