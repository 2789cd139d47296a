package dev.vigil.actions.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.actions.ActionOutcome;

/**
 * clean-files on a real file system whose use the test controls: a 16 MiB tmpfs it mounts (the tests run as root),
 * with real files, directories and symbolic links. Outside the tmpfs, in the test's own folder, lie the files the
 * links point to, which must survive.
 */
class CleanFilesTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final int MIB = 1 << 20;

    @TempDir
    static Path mountPoint;

    @TempDir
    Path outside;

    private Path root;
    private final ActionContext context = Contexts.on(Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeAll
    static void mount() throws IOException, InterruptedException {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16m,mode=0755", "vigil-clean-test", mountPoint.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        assertThat(mount.waitFor()).as("mounting a tmpfs for the test (needs root): " + output).isZero();
    }

    @AfterAll
    static void unmount() throws IOException, InterruptedException {
        new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start().waitFor();
    }

    @BeforeEach
    void emptyTheFileSystem() throws IOException {
        try (Stream<Path> entries = Files.list(mountPoint)) {
            for (Path entry : entries.toList()) {
                if (Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> tree = Files.walk(entry)) {
                        tree.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                } else {
                    Files.delete(entry);
                }
            }
        }
        root = Files.createDirectory(mountPoint.resolve("cache"));
    }

    @AfterEach
    void close() {
        context.close();
    }

    /** A file of {@code mib} MiB last modified {@code age} ago. */
    private Path file(Path path, int mib, Duration age) throws IOException {
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[mib * MIB]);
        Files.setLastModifiedTime(path, FileTime.from(NOW.minus(age)));
        return path;
    }

    private LibraryAction clean(String targetUse, boolean dryRun) {
        return Contexts.define("clean-files", Map.of("directories", List.of(root.toString()), "older_than", "2d", "target_use", targetUse,
                "dry_run", Boolean.toString(dryRun)));
    }

    private static double use(Path path) throws IOException {
        var store = Files.getFileStore(path);
        long used = store.getTotalSpace() - store.getUnallocatedSpace();
        return used / (double) (used + store.getUsableSpace());
    }

    /** 8 old files (3 to 10 days, the oldest first in name) and 2 new ones, 1 MiB each: 10 of 16 MiB. */
    private void fill() throws IOException {
        for (int i = 0; i < 8; i++) {
            file(root.resolve(i % 2 == 0 ? "old-" + i + ".log" : "sub/old-" + i + ".log"), 1, Duration.ofDays(10 - i));
        }
        file(root.resolve("new-1.log"), 1, Duration.ofHours(1));
        file(root.resolve("sub/new-2.log"), 1, Duration.ofHours(30));
    }

    @Test
    void shouldDeleteTheOldestFilesUntilTheFileSystemIsDownToItsTarget() throws IOException {
        fill();
        assertThat(use(root)).isBetween(0.62, 0.64);

        ActionOutcome outcome = context.run(clean("45%", false), Map.of("directory", root.toString()));

        assertThat(outcome.succeeded()).as(outcome.detail()).isTrue();
        assertThat(outcome.detail()).startsWith("deleted 3 of 8 files older than 2d (3.0 MiB) from " + root
                + ": its file system went from 62.").contains("(target 45.0%)");
        assertThat(use(root)).isBetween(0.43, 0.45);
        assertThat(root.resolve("old-0.log")).doesNotExist();
        assertThat(root.resolve("sub/old-1.log")).doesNotExist();
        assertThat(root.resolve("old-2.log")).doesNotExist();
        assertThat(root.resolve("sub/old-3.log")).as("the fourth oldest is not needed").exists();
        assertThat(root.resolve("new-1.log")).exists();
    }

    @Test
    void shouldListWhatItWouldDeleteInADryRunAndDeleteNothing() throws IOException {
        fill();

        ActionOutcome outcome = context.run(clean("45%", true), Map.of("directory", root.toString()));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.detail()).startsWith("dry run: would delete 3 of 8 files older than 2d (3.0 MiB) from " + root)
                .endsWith(": " + root.resolve("old-0.log") + ", " + root.resolve("sub/old-1.log") + ", " + root.resolve("old-2.log"));
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(10);
        }
    }

    @Test
    void shouldFailWhenDeletingEveryOldFileDoesNotReachTheTarget() throws IOException {
        fill();

        ActionOutcome outcome = context.run(clean("10%", false), Map.of("directory", root.toString()));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.detail()).startsWith("deleted 8 of 8 files older than 2d (8.0 MiB)")
                .endsWith("nothing older is left to delete, and it is still above the target");
        assertThat(root.resolve("new-1.log")).exists();
        assertThat(root.resolve("sub/new-2.log")).exists();
    }

    @Test
    void shouldDoNothingBelowTheTarget() throws IOException {
        file(root.resolve("old.log"), 1, Duration.ofDays(5));

        ActionOutcome outcome = context.run(clean("80%", false), Map.of("directory", root.toString()));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.detail()).startsWith("nothing to delete: the file system of " + root + " is ").endsWith("1 files are older than 2d");
        assertThat(root.resolve("old.log")).exists();
    }

    @Test
    void shouldNeverFollowASymbolicLinkOutOfTheDirectory() throws IOException {
        Path precious = file(outside.resolve("precious.db"), 1, Duration.ofDays(30));
        file(outside.resolve("elsewhere/also-precious.db"), 1, Duration.ofDays(30));
        Files.createSymbolicLink(root.resolve("link-to-file"), precious);
        Files.createSymbolicLink(root.resolve("link-to-dir"), outside.resolve("elsewhere"));
        for (int i = 0; i < 12; i++) {
            file(root.resolve("old-" + i + ".log"), 1, Duration.ofDays(20 - i));
        }

        ActionOutcome outcome = context.run(clean("5%", false), Map.of("directory", root.toString()));

        assertThat(outcome.detail()).startsWith("deleted 12 of 12 files").contains("left alone: 2 symbolic links");
        assertThat(precious).exists().hasSize(MIB);
        assertThat(outside.resolve("elsewhere/also-precious.db")).exists();
        assertThat(root.resolve("link-to-file")).isSymbolicLink();
    }

    @Test
    void shouldRefuseADirectoryThatIsALinkOrOutsideTheAllowList() throws IOException {
        file(outside.resolve("precious.db"), 1, Duration.ofDays(30));
        Files.createSymbolicLink(root.resolve("app"), outside);
        LibraryAction action = clean("5%", false);

        ActionOutcome throughLink = context.run(action, Map.of("directory", root.resolve("app").toString()));
        ActionOutcome elsewhere = context.run(action, Map.of("directory", outside.toString()));
        ActionOutcome climbing = context.run(action, Map.of("directory", root + "/../" + outside.getFileName()));

        assertThat(throughLink.succeeded()).isFalse();
        assertThat(throughLink.detail()).isEqualTo(root.resolve("app") + " is a symbolic link, not followed");
        assertThat(elsewhere.detail()).isEqualTo("directory " + outside + " is outside the allow-list [" + root + "]");
        assertThat(climbing.detail()).endsWith("is not an absolute, normalized path");
        assertThat(outside.resolve("precious.db")).exists();
    }
}
