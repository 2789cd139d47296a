package dev.vigil.actions.library;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.ActionSettingException;
import dev.vigil.actions.ActionSettings;

/**
 * {@code throttle-cpu}: lowers the CPU a process of the allow-list may use, with a cgroup's CPU quota where one can
 * be used and with renice where not ({@link CpuThrottles} says which when), until {@code restore-cpu} undoes it, or
 * by itself after {@code restore_after}.
 *
 * @param processes    what it may throttle
 * @param cpuMax       with a cgroup: the share of one CPU the process may use
 * @param nice         with renice: the nice value its threads get
 * @param restoreAfter undo it by itself after this long
 * @param method       {@code auto} (a cgroup where one can be used, else renice), {@code cgroup} or {@code renice}
 */
record ThrottleCpu(AllowedProcesses processes, double cpuMax, int nice, Optional<Duration> restoreAfter, Method method)
        implements ProcessAction {

    static final Set<String> SETTINGS = Set.of("processes", "cpu_max", "nice", "restore_after", "method");

    /** How the CPU is lowered. */
    enum Method { AUTO, CGROUP, RENICE }

    public ThrottleCpu {
        Objects.requireNonNull(processes, "processes can't be null");
        Objects.requireNonNull(restoreAfter, "restoreAfter can't be null");
        Objects.requireNonNull(method, "method can't be null");
    }

    static ThrottleCpu from(ActionSettings settings) {
        Method method;
        try {
            method = Method.valueOf(settings.optionalString("method").orElse("auto").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ActionSettingException("method", settings.what() + ": 'method' must be auto, cgroup or renice, got '"
                    + settings.string("method") + "'");
        }
        return new ThrottleCpu(AllowedProcesses.from(settings, "processes"), settings.percent("cpu_max", 6400), settings.integer("nice", 10, 1, 19),
                settings.has("restore_after") ? Optional.of(settings.positiveDuration("restore_after", null)) : Optional.empty(), method);
    }

    @Override
    public ActionOutcome run(Map<String, String> parameters, ActionContext context) throws ActionFailedException, java.io.IOException {
        return context.throttles().throttle(processes.resolve(Texts.parameter(parameters, "pid")), this, context.clock());
    }
}
