package dev.vigil.actions.library;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.vigil.actions.ActionSettingException;
import dev.vigil.actions.ActionSettings;

/**
 * Vigil's own actions, which a policy allow-lists with their settings instead of scripts of its own
 * (docs/remediation.md, "The action library"). Each kind is registered here, once, with the settings it reads.
 */
public final class ActionLibrary {

    private record Kind(Set<String> settings, Function<ActionSettings, LibraryAction> define) {
    }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put(RestartUnit.KIND, new Kind(RestartUnit.SETTINGS, RestartUnit::from));
        KINDS.put(CleanFiles.KIND, new Kind(CleanFiles.SETTINGS, CleanFiles::from));
        KINDS.put(ThrottleCpu.KIND, new Kind(ThrottleCpu.SETTINGS, ThrottleCpu::from));
        KINDS.put(RestoreCpu.KIND, new Kind(RestoreCpu.SETTINGS, RestoreCpu::from));
        KINDS.put(StopProcess.KIND, new Kind(StopProcess.SETTINGS, StopProcess::from));
        KINDS.put(RotateLog.KIND, new Kind(RotateLog.SETTINGS, RotateLog::from));
    }

    private ActionLibrary() {
    }

    /** The kinds, in the order the docs list them. */
    public static List<String> kinds() {
        return List.copyOf(KINDS.keySet());
    }

    /**
     * An action of {@code kind} with {@code settings}, every one of them checked.
     *
     * @throws ActionSettingException naming the key at fault: an unknown kind or key, a bad value, a required one missing
     */
    public static LibraryAction define(String kind, ActionSettings settings) {
        Kind known = KINDS.get(kind);
        if (known == null) {
            throw new ActionSettingException("kind", settings.what() + ": unknown kind '" + kind + "'; known: " + kinds());
        }
        settings.refuseUnknown(known.settings());
        return known.define().apply(settings);
    }
}
