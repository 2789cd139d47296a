package dev.vigil.console;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs {@code src/test/browser/walkthrough.mjs}, an operator's walk through the console in Debian's headless Chromium
 * driven by npm's {@code playwright-core}, and returns the steps it reports. The script's dependencies are fetched with
 * {@code npm ci} (pinned by its package-lock) the first time; Chromium, node and npm come from
 * {@code scripts/install-deps --tests}. Anything missing fails the test with what to run: a browser test that skips
 * is not a test.
 */
final class BrowserWalkthrough {

    /** One line the script printed: a step, whether it passed, and what it saw. */
    record Step(String name, boolean ok, JsonNode details) {

        String text(String field) {
            return details.path(field).asText("");
        }
    }

    private static final Path SCRIPT_DIR = Path.of("src", "test", "browser").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private BrowserWalkthrough() {
    }

    /**
     * @param settings what the script reads on stdin (base URL, users and their passwords, the alert's host, ...)
     * @return the steps in order; the last one failed when the walk stopped early
     */
    static List<Step> run(Map<String, Object> settings, Path screenshotDir, Duration timeout) throws IOException, InterruptedException {
        requireExecutable(CHROMIUM, "chromium");
        installDependencies();
        Files.createDirectories(screenshotDir);
        Map<String, Object> input = new LinkedHashMap<>(settings);
        input.put("chromium", CHROMIUM.toString());
        input.put("screenshotDir", screenshotDir.toAbsolutePath().toString());
        Path output = screenshotDir.resolve("walkthrough.out");
        Process node = start(new ProcessBuilder("node", "walkthrough.mjs")
                .directory(SCRIPT_DIR.toFile())
                .redirectOutput(output.toFile())
                .redirectError(screenshotDir.resolve("walkthrough.err").toFile()));
        try (OutputStream stdin = node.getOutputStream()) {
            JSON.writeValue(stdin, input);
        }
        if (!node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("the browser walk-through did not finish within " + timeout + "; see " + output);
        }
        List<Step> steps = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            if (line.startsWith("{")) {
                JsonNode step = JSON.readTree(line);
                steps.add(new Step(step.path("step").asText(), step.path("ok").asBoolean(), step));
            }
        }
        return steps;
    }

    /** The step named {@code name}, which must have passed. */
    static Step passed(List<Step> steps, String name) {
        Optional<Step> step = steps.stream().filter(s -> s.name().equals(name)).findFirst();
        if (step.isEmpty() || !step.get().ok()) {
            throw new AssertionError("browser step '" + name + "' " + step.map(s -> "failed: " + s.text("error")).orElse("never ran")
                    + "; all steps: " + steps);
        }
        return step.get();
    }

    private static void installDependencies() throws IOException, InterruptedException {
        if (Files.isDirectory(SCRIPT_DIR.resolve("node_modules").resolve("playwright-core"))) {
            return;
        }
        Process npm = start(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(SCRIPT_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT));
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            throw new AssertionError("npm ci in " + SCRIPT_DIR + " failed: the browser test needs playwright-core from the npm registry");
        }
    }

    private static Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new AssertionError(builder.command().get(0) + " cannot run (" + e.getMessage() + "): run scripts/install-deps --tests", e);
        }
    }

    private static void requireExecutable(Path path, String what) {
        if (!Files.isExecutable(path)) {
            throw new AssertionError(what + " is not installed at " + path + ": run scripts/install-deps --tests");
        }
    }
}
