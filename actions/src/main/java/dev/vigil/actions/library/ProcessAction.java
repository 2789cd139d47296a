package dev.vigil.actions.library;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A library action on one process, named by the rule's {@code pid} parameter. */
interface ProcessAction extends LibraryAction {

    @Override
    default List<String> parameters() {
        return List.of("pid");
    }

    /** A fixed {@code pid} must be a process id above 1; a template is checked when it runs. */
    @Override
    default Optional<String> refusal(Map<String, String> templates) {
        return templates.containsKey("pid") ? AllowedProcesses.refusal(templates.get("pid")) : Optional.empty();
    }
}
