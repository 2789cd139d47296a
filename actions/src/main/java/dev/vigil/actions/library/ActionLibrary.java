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

    private record Kind(String name, Class<? extends LibraryAction> type, Set<String> settings, Function<ActionSettings, LibraryAction> define) {
    }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        List.of(new Kind("restart-unit", RestartUnit.class, RestartUnit.SETTINGS, RestartUnit::from),
                new Kind("clean-files", CleanFiles.class, CleanFiles.SETTINGS, CleanFiles::from),
                new Kind("throttle-cpu", ThrottleCpu.class, ThrottleCpu.SETTINGS, ThrottleCpu::from),
                new Kind("restore-cpu", RestoreCpu.class, RestoreCpu.SETTINGS, RestoreCpu::from),
                new Kind("stop-process", StopProcess.class, StopProcess.SETTINGS, StopProcess::from),
                new Kind("rotate-log", RotateLog.class, RotateLog.SETTINGS, RotateLog::from)).forEach(kind -> KINDS.put(kind.name(), kind));
    }

    private ActionLibrary() {
    }

    /** The kinds, in the order the docs list them. */
    public static List<String> kinds() {
        return List.copyOf(KINDS.keySet());
    }

    /** The kind {@code action} is of, as a policy names it. */
    static String kindOf(LibraryAction action) {
        return KINDS.values().stream().filter(kind -> kind.type().isInstance(action)).map(Kind::name).findFirst().orElseThrow();
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
