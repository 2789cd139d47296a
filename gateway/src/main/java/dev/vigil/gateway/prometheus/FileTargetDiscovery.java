package dev.vigil.gateway.prometheus;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Prometheus' {@code file_sd_configs}: JSON or YAML files (YAML is a superset of JSON, so one parser reads both), each
 * a list of {@code {targets, labels}} groups. {@link #groups()} reads a file again only when its modification time or
 * size changed; a file that turns invalid keeps its last good groups (as Prometheus does) and is logged; a deleted
 * file's groups go. The glob is Prometheus': a {@code *} in the last path element only.
 */
public final class FileTargetDiscovery {

    private static final Logger log = LoggerFactory.getLogger(FileTargetDiscovery.class);

    private final List<String> patterns;
    private final Map<Path, Snapshot> snapshots = new HashMap<>();

    private record Snapshot(FileTime modified, long size, List<TargetGroup> groups) {
    }

    public FileTargetDiscovery(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** The groups of every matching file now, files in name order. */
    public synchronized List<TargetGroup> groups() {
        Map<Path, List<TargetGroup>> current = new TreeMap<>();
        for (Path file : matchingFiles()) {
            current.put(file, read(file));
        }
        snapshots.keySet().retainAll(current.keySet());
        List<TargetGroup> all = new ArrayList<>();
        current.values().forEach(all::addAll);
        return List.copyOf(all);
    }

    private List<TargetGroup> read(Path file) {
        Snapshot last = snapshots.get(file);
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (last != null && last.modified().equals(modified) && last.size() == size) {
                return last.groups();
            }
            List<TargetGroup> groups = parse(Files.readString(file), file.toString());
            snapshots.put(file, new Snapshot(modified, size, groups));
            return groups;
        } catch (IOException | RuntimeException e) {
            log.warn("Target file {} unreadable, keeping its last groups: {}", file, e.getMessage());
            return last == null ? List.of() : last.groups();
        }
    }

    static List<TargetGroup> parse(String text, String where) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (root == null) {
            return List.of();
        }
        if (!(root instanceof List<?> list)) {
            throw new IllegalArgumentException(where + " must be a list of {targets, labels} groups");
        }
        List<TargetGroup> groups = new ArrayList<>();
        for (Object group : list) {
            groups.add(ScrapeConfigFile.group(group, where + "[" + groups.size() + "]"));
        }
        return List.copyOf(groups);
    }

    private List<Path> matchingFiles() {
        List<Path> files = new ArrayList<>();
        for (String pattern : patterns) {
            Path path = Path.of(pattern);
            String last = path.getFileName().toString();
            if (!last.contains("*")) {
                if (Files.isRegularFile(path)) {
                    files.add(path);
                }
                continue;
            }
            Path folder = path.getParent() == null ? Path.of(".") : path.getParent();
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, last)) {
                stream.forEach(file -> {
                    if (Files.isRegularFile(file)) {
                        files.add(file);
                    }
                });
            } catch (IOException e) {
                log.warn("Cannot list {}: {}", folder, e.getMessage());
            }
        }
        return files;
    }
}
