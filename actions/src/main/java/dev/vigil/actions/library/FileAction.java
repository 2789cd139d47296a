package dev.vigil.actions.library;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A library action on a path inside allow-listed directories, named by one parameter of the rule. */
interface FileAction extends LibraryAction {

    /** The parameter that names the path: {@code directory}, {@code file}. */
    String parameter();

    /** Where the path must be. */
    AllowedDirectories directories();

    @Override
    default List<String> parameters() {
        return List.of(parameter());
    }

    /** The fixed start of the path must lie inside the allow-list ({@link AllowedDirectories#refusal}). */
    @Override
    default Optional<String> refusal(Map<String, String> templates) {
        return templates.containsKey(parameter()) ? directories().refusal(parameter(), templates.get(parameter())) : Optional.empty();
    }
}
