package dev.vigil.actions.library;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.vigil.actions.ActionSettingException;
import dev.vigil.actions.ActionSettings;

/**
 * The processes an action may touch, by what they run: an absolute path ({@code /usr/bin/stress}) is matched against
 * the process's executable, a bare name ({@code java}) against its file name. Whatever the list says, an action never
 * touches pid 1, this JVM or any of its parents, or a process whose executable it cannot see.
 *
 * @param executables what the {@code processes} setting lists
 */
record AllowedProcesses(List<String> executables) {

    AllowedProcesses {
        executables = List.copyOf(executables);
    }

    /** The {@code key} setting: absolute paths or bare names. */
    static AllowedProcesses from(ActionSettings settings, String key) {
        List<String> listed = settings.list(key);
        for (String entry : listed) {
            if (entry.contains("/") ? !Path.of(entry).isAbsolute() || !Path.of(entry).normalize().toString().equals(entry) : entry.isBlank()) {
                throw new ActionSettingException(key, settings.what() + ": '" + key + "' lists " + entry
                        + ", which is neither an absolute path to an executable nor the bare name of one");
            }
        }
        return new AllowedProcesses(listed);
    }

    /** Why a fixed {@code pid} parameter can never be allowed, judged when the policy loads. */
    static Optional<String> refusal(String template) {
        if (Texts.isTemplate(template)) {
            return Optional.empty();
        }
        try {
            return Long.parseLong(template) > 1 ? Optional.empty() : Optional.of("parameter 'pid' must be a process id above 1, got " + template);
        } catch (NumberFormatException e) {
            return Optional.of("parameter 'pid' must be a process id, got '" + template + "'");
        }
    }

    /** The live process {@code pid} names, if the list allows it; otherwise why not. */
    ProcessHandle resolve(String pid) throws ActionFailedException {
        long id;
        try {
            id = Long.parseLong(pid);
        } catch (NumberFormatException e) {
            throw new ActionFailedException("pid '" + pid + "' is not a process id");
        }
        if (id <= 1) {
            throw new ActionFailedException("pid " + id + " is refused: never pid 1 or below");
        }
        ProcessHandle process = ProcessHandle.of(id).filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new ActionFailedException("no process with pid " + id + " is running"));
        for (Optional<ProcessHandle> self = Optional.of(ProcessHandle.current()); self.isPresent(); self = self.get().parent()) {
            if (self.get().pid() == id) {
                throw new ActionFailedException("pid " + id + " is refused: it is this JVM or one of its parents");
            }
        }
        String executable = process.info().command().orElseThrow(() -> new ActionFailedException("pid " + id
                + " is refused: what it runs cannot be seen (a kernel thread, or another user's process)"));
        boolean allowed = executables.stream().anyMatch(entry -> entry.startsWith("/") ? entry.equals(executable)
                : entry.equals(Path.of(executable).getFileName().toString()));
        if (!allowed) {
            throw new ActionFailedException("pid " + id + " runs " + executable + ", which 'processes' does not list " + executables);
        }
        return process;
    }

    /** {@code pid 4242 (/usr/bin/stress)}. */
    static String describe(ProcessHandle process) {
        return "pid " + process.pid() + " (" + process.info().command().orElse("?") + ")";
    }
}
