package dev.vigil.actions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An allow-listed command: the only executables remediation ever runs. Arguments are templates over the
 * rule's parameters ({@code {{unit}}}); each becomes exactly one argument, and no shell ever sees them.
 *
 * @param executable an absolute path, checked to exist and be executable when the policy loads
 * @param args       argument templates
 * @param timeout    the process is killed after this long
 * @param limits     what it may use and do besides ({@link ActionLimits})
 */
public record CommandSpec(String name, Path executable, List<String> args, Duration timeout, ActionLimits limits) {

    public CommandSpec {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(executable, "executable can't be null");
        args = List.copyOf(args);
        Objects.requireNonNull(timeout, "timeout can't be null");
        Objects.requireNonNull(limits, "limits can't be null");
    }

    /** A command with the {@linkplain ActionLimits#DEFAULTS default limits}. */
    public CommandSpec(String name, Path executable, List<String> args, Duration timeout) {
        this(name, executable, args, timeout, ActionLimits.DEFAULTS);
    }
}
