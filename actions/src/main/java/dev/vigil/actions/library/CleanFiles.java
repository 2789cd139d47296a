package dev.vigil.actions.library;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.ActionSettings;
import dev.vigil.runtime.config.Durations;

/**
 * {@code clean-files}: deletes the files older than {@code older_than} in a directory of the allow-list (and below
 * it), oldest first, until its file system is used at most {@code target_use}, and no further. It never follows a
 * symbolic link (links are left alone, and a linked directory is not entered), stays on the directory's file system,
 * and checks each file again just before deleting it. In {@code dry_run} it deletes nothing and lists what it would.
 *
 * @param directories where it may clean; the rule's {@code directory} must be one of them or inside one
 * @param olderThan   only files last modified longer ago than this
 * @param targetUse   share of the file system used (as {@code df} counts it) to bring it down to
 * @param dryRun      list instead of delete
 */
record CleanFiles(AllowedDirectories directories, Duration olderThan, double targetUse, boolean dryRun) implements FileAction {

    static final Set<String> SETTINGS = Set.of("directories", "older_than", "target_use", "dry_run");
    private static final int LISTED = 20;

    public CleanFiles {
        Objects.requireNonNull(directories, "directories can't be null");
        Objects.requireNonNull(olderThan, "olderThan can't be null");
    }

    static CleanFiles from(ActionSettings settings) {
        return new CleanFiles(new AllowedDirectories(settings.directories("directories")), settings.positiveDuration("older_than", null),
                settings.percent("target_use", 99), settings.bool("dry_run", false));
    }

    @Override
    public String parameter() {
        return "directory";
    }

    /** A file old enough to go: where it is below the cleaned directory, and what it was when found. */
    private record Candidate(Path folder, Path name, long size, Instant modified, Object key) {
        Path path(Path directory) {
            return directory.resolve(folder).resolve(name);
        }
    }

    /** How full a file system is, as {@code df} counts it: used / (used + available to users). */
    private record Use(long used, long available) {
        static Use of(FileStore store) throws IOException {
            return new Use(store.getTotalSpace() - store.getUnallocatedSpace(), store.getUsableSpace());
        }

        double share() {
            return used + available == 0 ? 0 : used / (double) (used + available);
        }

        Use freeing(long bytes) {
            return new Use(Math.max(0, used - bytes), available + bytes);
        }
    }

    /** What was left alone, for the outcome. */
    private static final class Skipped {
        int links;
        int otherFileSystems;
        int unreadable;

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (links > 0) {
                parts.add(links + " symbolic links");
            }
            if (otherFileSystems > 0) {
                parts.add(otherFileSystems + " directories on other file systems");
            }
            if (unreadable > 0) {
                parts.add(unreadable + " entries that could not be read");
            }
            return parts.isEmpty() ? "" : "; left alone: " + String.join(", ", parts);
        }
    }

    @Override
    public ActionOutcome run(Map<String, String> parameters, ActionContext context) throws ActionFailedException, IOException {
        Path directory = directories.check("directory", Texts.parameter(parameters, "directory"));
        Instant cutoff = context.clock().instant().minus(olderThan);
        List<Candidate> candidates = new ArrayList<>();
        Skipped skipped = new Skipped();
        FileStore store;
        try (SecureDirectoryStream<Path> top = directories.open(directory)) {
            store = Files.getFileStore(directory);
            collect(top, directory, Path.of(""), device(directory), cutoff, candidates, skipped);
        }
        candidates.sort(Comparator.comparing(Candidate::modified));
        Use before = Use.of(store);
        String older = "older than " + Durations.format(olderThan);
        String target = " (target " + Texts.percent(targetUse) + ")";
        if (before.share() <= targetUse) {
            return new ActionOutcome(true, "nothing to delete: the file system of " + directory + " is " + Texts.percent(before.share())
                    + " used" + target + "; " + candidates.size() + " files are " + older + skipped);
        }
        return dryRun ? plan(directory, candidates, before, older, target, skipped) : delete(directory, candidates, store, cutoff, before, older, target, skipped);
    }

    private ActionOutcome plan(Path directory, List<Candidate> candidates, Use before, String older, String target, Skipped skipped) {
        List<Path> chosen = new ArrayList<>();
        long bytes = 0;
        Use projected = before;
        for (Candidate candidate : candidates) {
            if (projected.share() <= targetUse) {
                break;
            }
            chosen.add(candidate.path(directory));
            bytes += candidate.size();
            projected = before.freeing(bytes);
        }
        return new ActionOutcome(true, "dry run: would delete " + chosen.size() + " of " + candidates.size() + " files " + older + " ("
                + Texts.bytes(bytes) + ") from " + directory + ", taking its file system from " + Texts.percent(before.share()) + " to about "
                + Texts.percent(projected.share()) + " used" + target + ": " + Texts.list(chosen, LISTED) + skipped);
    }

    private ActionOutcome delete(Path directory, List<Candidate> candidates, FileStore store, Instant cutoff, Use before, String older,
                                 String target, Skipped skipped) throws ActionFailedException, IOException {
        int deleted = 0;
        long bytes = 0;
        Use now = before;
        Path openFolder = null;
        SecureDirectoryStream<Path> folder = null;
        try {
            for (Candidate candidate : candidates) {
                if (now.share() <= targetUse) {
                    break;
                }
                if (!candidate.folder().equals(openFolder)) {
                    if (folder != null) {
                        folder.close();
                    }
                    folder = null;
                    openFolder = candidate.folder();
                    try {
                        folder = directories.open(directory.resolve(candidate.folder()).normalize());
                    } catch (ActionFailedException e) {
                        skipped.unreadable++; // replaced by a link, or removed, since it was read: not followed
                        continue;
                    }
                }
                if (folder == null) {
                    continue;
                }
                Optional<BasicFileAttributes> current = AllowedDirectories.attributes(folder, candidate.name());
                // Checked again: a file replaced, touched or turned into a link since it was found is left alone.
                if (current.isEmpty() || !current.get().isRegularFile() || !Objects.equals(current.get().fileKey(), candidate.key())
                        || !current.get().lastModifiedTime().toInstant().isBefore(cutoff)) {
                    continue;
                }
                try {
                    folder.deleteFile(candidate.name());
                } catch (FileSystemException e) {
                    skipped.unreadable++;
                    continue;
                }
                deleted++;
                bytes += candidate.size();
                now = Use.of(store);
            }
        } finally {
            if (folder != null) {
                folder.close();
            }
        }
        String story = "deleted " + deleted + " of " + candidates.size() + " files " + older + " (" + Texts.bytes(bytes) + ") from " + directory
                + ": its file system went from " + Texts.percent(before.share()) + " to " + Texts.percent(now.share()) + " used" + target + skipped;
        return now.share() <= targetUse ? new ActionOutcome(true, story)
                : new ActionOutcome(false, story + "; nothing older is left to delete, and it is still above the target");
    }

    /** Adds the files older than {@code cutoff} below {@code folder} (open as {@code stream}) to {@code found}. */
    private static void collect(SecureDirectoryStream<Path> stream, Path directory, Path folder, long device, Instant cutoff, List<Candidate> found,
                                Skipped skipped) throws IOException {
        List<Path> names = new ArrayList<>();
        stream.forEach(entry -> names.add(entry.getFileName()));
        for (Path name : names) {
            Optional<BasicFileAttributes> attributes;
            try {
                attributes = AllowedDirectories.attributes(stream, name);
            } catch (FileSystemException e) {
                skipped.unreadable++;
                continue;
            }
            if (attributes.isEmpty()) {
                continue;
            }
            BasicFileAttributes file = attributes.get();
            if (file.isSymbolicLink()) {
                skipped.links++;
            } else if (file.isDirectory()) {
                try {
                    if (device(directory.resolve(folder).resolve(name)) != device) {
                        skipped.otherFileSystems++;
                        continue;
                    }
                    try (SecureDirectoryStream<Path> child = stream.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                        collect(child, directory, folder.resolve(name), device, cutoff, found, skipped);
                    }
                } catch (FileSystemException e) {
                    skipped.unreadable++; // gone, or replaced by a link since it was listed: not followed
                }
            } else if (file.isRegularFile() && file.lastModifiedTime().toInstant().isBefore(cutoff)) {
                found.add(new Candidate(folder, name, file.size(), file.lastModifiedTime().toInstant(), file.fileKey()));
            }
        }
    }

    /** The device of {@code path} itself (not of what a link there points to): directories on another are not entered. */
    private static long device(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
    }
}
