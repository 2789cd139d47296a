package dev.vigil.actions.library;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.ActionSettingException;
import dev.vigil.actions.ActionSettings;
import dev.vigil.actions.CommandResult;
import dev.vigil.actions.CommandSpec;

/**
 * {@code restart-unit}: {@code systemctl restart UNIT} for a unit the allow-list names, then {@code systemctl is-active
 * UNIT} every half second until it says {@code active}; it fails if the unit is not active again within
 * {@code active_within}. systemctl runs confined like any command, with the unit as one argument.
 *
 * @param units        unit names, or patterns with {@code *} ({@code app@*.service})
 * @param systemctl    the systemctl to run
 * @param activeWithin how long the unit has to be active again
 * @param timeout      how long {@code systemctl restart} may take
 */
record RestartUnit(List<String> units, Path systemctl, Duration activeWithin, Duration timeout) implements LibraryAction {

    static final Set<String> SETTINGS = Set.of("units", "systemctl", "active_within", "timeout");
    private static final String UNIT_CHARS = "[A-Za-z0-9:_.@\\-]";
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9_]" + UNIT_CHARS + "{0,250}\\.(service|socket|target|timer|path|mount)");
    private static final Duration POLL = Duration.ofMillis(500);

    public RestartUnit {
        units = List.copyOf(units);
    }

    static RestartUnit from(ActionSettings settings) {
        List<String> units = settings.list("units");
        for (String unit : units) {
            if (!UNIT.matcher(unit.replace("*", "x")).matches()) {
                throw new ActionSettingException("units", settings.what() + ": 'units' lists '" + unit
                        + "', which is no unit name (such as nginx.service, or app@*.service)");
            }
        }
        return new RestartUnit(units, settings.executable("systemctl", Path.of("/usr/bin/systemctl")),
                settings.positiveDuration("active_within", Duration.ofSeconds(30)), settings.positiveDuration("timeout", Duration.ofSeconds(90)));
    }

    @Override
    public List<String> parameters() {
        return List.of("unit");
    }

    @Override
    public Optional<String> refusal(Map<String, String> templates) {
        String unit = templates.get("unit");
        if (unit == null || Texts.isTemplate(unit) || allowed(unit)) {
            return Optional.empty();
        }
        return Optional.of("parameter 'unit' is " + unit + ", which 'units' does not allow " + units);
    }

    private boolean allowed(String unit) {
        return UNIT.matcher(unit).matches() && units.stream().anyMatch(pattern -> glob(pattern).matcher(unit).matches());
    }

    /** {@code app@*.service}: {@code *} stands for any unit-name characters, everything else for itself. */
    private static Pattern glob(String pattern) {
        String[] parts = pattern.split("\\*", -1);
        StringBuilder regex = new StringBuilder(Pattern.quote(parts[0]));
        for (int i = 1; i < parts.length; i++) {
            regex.append(UNIT_CHARS).append('*').append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public ActionOutcome run(Map<String, String> parameters, ActionContext context) throws ActionFailedException {
        String unit = Texts.parameter(parameters, "unit");
        if (!allowed(unit)) {
            throw new ActionFailedException("unit '" + unit + "' is refused: 'units' allows " + units);
        }
        CommandResult restart = context.commands().execute(new CommandSpec("systemctl", systemctl, List.of("restart", unit), timeout), Map.of());
        if (!restart.succeeded()) {
            throw new ActionFailedException("systemctl restart " + unit + " failed: " + restart.detail());
        }
        Instant started = context.clock().instant();
        Instant deadline = started.plus(activeWithin);
        String state;
        while (true) {
            CommandResult active = context.commands().execute(new CommandSpec("systemctl", systemctl, List.of("is-active", unit), Duration.ofSeconds(10)),
                    Map.of());
            state = active.output().isEmpty() ? active.detail() : active.output();
            Duration waited = Duration.between(started, context.clock().instant());
            if (active.succeeded() && state.equals("active")) {
                return new ActionOutcome(true, unit + " restarted and active again after " + waited.toMillis() + " ms");
            }
            if (!context.clock().instant().plus(POLL).isBefore(deadline)) {
                throw new ActionFailedException(unit + " restarted but not active within " + activeWithin.toSeconds() + " s: is-active says '"
                        + state + "'");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ActionFailedException(unit + " restarted; interrupted while waiting for it to be active");
            }
        }
    }
}
