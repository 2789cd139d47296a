package dev.vigil.gateway.prometheus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the gateway's scrape file: Prometheus' {@code scrape_configs} format, restricted to what the gateway does
 * ({@code job_name}, {@code scrape_interval}, {@code scrape_timeout}, {@code metrics_path}, {@code scheme},
 * {@code static_configs}, {@code file_sd_configs}) plus a {@code global} section for the two defaults. Any other key
 * fails the start with its path, rather than being silently ignored (a {@code relabel_configs} that does nothing would
 * mislead).
 */
public final class ScrapeConfigFile {

    /** Prometheus' defaults. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);

    private static final Set<String> TOP = Set.of("global", "scrape_configs");
    private static final Set<String> GLOBAL = Set.of("scrape_interval", "scrape_timeout");
    private static final Set<String> JOB = Set.of("job_name", "scrape_interval", "scrape_timeout", "metrics_path", "scheme",
            "static_configs", "file_sd_configs");
    private static final Set<String> GROUP = Set.of("targets", "labels");
    private static final Set<String> FILE_SD = Set.of("files", "refresh_interval");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private ScrapeConfigFile() {
    }

    public static List<ScrapeJob> read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static List<ScrapeJob> parse(String yaml) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        if (root == null) {
            return List.of();
        }
        Map<String, Object> top = map(root, "", TOP);
        Map<String, Object> global = top.containsKey("global") ? map(top.get("global"), "global", GLOBAL) : Map.of();
        Duration interval = duration(global.get("scrape_interval"), "global.scrape_interval", DEFAULT_INTERVAL);
        Duration timeout = duration(global.get("scrape_timeout"), "global.scrape_timeout", min(DEFAULT_TIMEOUT, interval));
        List<ScrapeJob> jobs = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (Object entry : list(top.getOrDefault("scrape_configs", List.of()), "scrape_configs")) {
            String path = "scrape_configs[" + jobs.size() + "]";
            Map<String, Object> job = map(entry, path, JOB);
            String name = string(job.get("job_name"), path + ".job_name");
            if (!names.add(name)) {
                throw new IllegalArgumentException(path + ".job_name: '" + name + "' is used twice");
            }
            Duration jobInterval = duration(job.get("scrape_interval"), path + ".scrape_interval", interval);
            Duration jobTimeout = duration(job.get("scrape_timeout"), path + ".scrape_timeout", min(timeout, jobInterval));
            String scheme = job.containsKey("scheme") ? string(job.get("scheme"), path + ".scheme") : "http";
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException(path + ".scheme: '" + scheme + "' is neither http nor https");
            }
            String metricsPath = job.containsKey("metrics_path") ? string(job.get("metrics_path"), path + ".metrics_path") : "/metrics";
            List<TargetGroup> groups = new ArrayList<>();
            for (Object group : list(job.getOrDefault("static_configs", List.of()), path + ".static_configs")) {
                groups.add(group(group, path + ".static_configs[" + groups.size() + "]"));
            }
            List<ScrapeJob.FileDiscovery> files = new ArrayList<>();
            for (Object sd : list(job.getOrDefault("file_sd_configs", List.of()), path + ".file_sd_configs")) {
                String sdPath = path + ".file_sd_configs[" + files.size() + "]";
                Map<String, Object> fileSd = map(sd, sdPath, FILE_SD);
                List<String> patterns = new ArrayList<>();
                for (Object pattern : list(fileSd.get("files"), sdPath + ".files")) {
                    patterns.add(string(pattern, sdPath + ".files"));
                }
                files.add(new ScrapeJob.FileDiscovery(patterns, duration(fileSd.get("refresh_interval"), sdPath + ".refresh_interval", DEFAULT_REFRESH)));
            }
            try {
                jobs.add(new ScrapeJob(name, jobInterval, jobTimeout, metricsPath, scheme, groups, files));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(jobs);
    }

    /** One {@code {targets, labels}} group (a static config, or an element of a discovery file). */
    static TargetGroup group(Object node, String path) {
        Map<String, Object> group = map(node, path, GROUP);
        List<String> targets = new ArrayList<>();
        for (Object target : list(group.getOrDefault("targets", List.of()), path + ".targets")) {
            targets.add(string(target, path + ".targets"));
        }
        Map<String, String> labels = new java.util.HashMap<>();
        if (group.containsKey("labels")) {
            Map<String, Object> raw = map(group.get("labels"), path + ".labels", null);
            raw.forEach((name, value) -> labels.put(name, string(value, path + ".labels." + name)));
        }
        return new TargetGroup(targets, labels);
    }

    /** Prometheus' duration syntax: {@code 15s}, {@code 1m30s}, {@code 500ms}, {@code 2h}. */
    static Duration duration(Object value, String path, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        String text = value.toString();
        Matcher matcher = DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            end = matcher.end();
        }
        if (end != text.length() || end == 0 || total.isZero()) {
            throw new IllegalArgumentException(path + ": '" + text + "' is not a duration such as 15s, 1m or 500ms");
        }
        return total;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String path, Set<String> allowed) {
        if (!(node instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException((path.isEmpty() ? "the file" : path) + " must be a mapping");
        }
        if (allowed != null) {
            for (Object key : map.keySet()) {
                if (!allowed.contains(String.valueOf(key))) {
                    throw new IllegalArgumentException((path.isEmpty() ? "" : path + ".") + key + ": unknown key (known: "
                            + new java.util.TreeSet<>(allowed) + ")");
                }
            }
        }
        return (Map<String, Object>) map;
    }

    private static List<?> list(Object node, String path) {
        if (!(node instanceof List<?> list)) {
            throw new IllegalArgumentException(path + " must be a list");
        }
        return list;
    }

    private static String string(Object node, String path) {
        if (node == null || node instanceof Map || node instanceof List) {
            throw new IllegalArgumentException(path + " must be a string");
        }
        return node.toString();
    }
}
