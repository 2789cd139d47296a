package dev.vigil.actions.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.actions.ActionOutcome;

/** rotate-log on real files: the copy, its compression, the truncation, pruning, and what it refuses. */
class RotateLogTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path dir;

    @TempDir
    Path outside;

    /** A clock that moves one second at every reading. */
    private static Clock ticking() {
        return new Clock() {
            private Instant now = T0;

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public synchronized Instant instant() {
                now = now.plusSeconds(1);
                return now;
            }
        };
    }

    private LibraryAction rotate(String... more) {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("directories", List.of(dir.toString()), "keep", "2"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return Contexts.define("rotate-log", settings);
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<String> rotations() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> !name.equals("app.log")).sorted().toList();
        }
    }

    @Test
    void shouldCompressTheLogBesideItAndEmptyIt() throws IOException {
        Path log = dir.resolve("app.log");
        String lines = "GET /health 200\n".repeat(1000);
        Files.writeString(log, lines);
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r-----"));

        try (ActionContext context = Contexts.on(ticking())) {
            ActionOutcome outcome = context.run(rotate(), Map.of("file", log.toString()));

            assertThat(outcome.succeeded()).as(outcome.detail()).isTrue();
            assertThat(outcome.detail()).startsWith("rotated " + log + " (15.6 KiB) into app.log.20261130-120001.gz (").endsWith("); keeping 2");
        }
        Path rotated = dir.resolve("app.log.20261130-120001.gz");
        assertThat(gunzip(rotated)).isEqualTo(lines);
        assertThat(Files.size(rotated)).isLessThan(1000);
        assertThat(log).isEmptyFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rotated))).isEqualTo("rw-r-----");
    }

    @Test
    void shouldKeepOnlyTheNewestRotations() throws IOException {
        Path log = dir.resolve("app.log");
        try (ActionContext context = Contexts.on(ticking())) {
            for (int i = 1; i <= 4; i++) {
                Files.writeString(log, "round " + i + "\n");
                assertThat(context.run(rotate("compress", "false"), Map.of("file", log.toString())).succeeded()).isTrue();
            }
        }

        assertThat(rotations()).containsExactly("app.log.20261130-120003", "app.log.20261130-120004");
        assertThat(Files.readString(dir.resolve("app.log.20261130-120004"))).isEqualTo("round 4\n");
    }

    @Test
    void shouldLeaveASmallLogAlone() throws IOException {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "one line\n");

        try (ActionContext context = Contexts.on(ticking())) {
            ActionOutcome outcome = context.run(rotate("min_size", "1MiB"), Map.of("file", log.toString()));

            assertThat(outcome.succeeded()).isTrue();
            assertThat(outcome.detail()).isEqualTo("not rotated: " + log + " has 9 B, less than min_size 1.0 MiB");
        }
        assertThat(log).hasContent("one line");
        assertThat(rotations()).isEmpty();
    }

    @Test
    void shouldRefuseALinkAFileOutsideTheAllowListAndADirectory() throws IOException {
        Path secret = Files.writeString(outside.resolve("shadow"), "root:secret\n");
        Files.createSymbolicLink(dir.resolve("app.log"), secret);

        try (ActionContext context = Contexts.on(ticking())) {
            ActionOutcome link = context.run(rotate(), Map.of("file", dir.resolve("app.log").toString()));
            ActionOutcome elsewhere = context.run(rotate(), Map.of("file", secret.toString()));
            ActionOutcome folder = context.run(rotate(), Map.of("file", dir.toString()));

            assertThat(link.succeeded()).isFalse();
            assertThat(link.detail()).isEqualTo("file " + dir.resolve("app.log") + " is a symbolic link, not followed");
            assertThat(elsewhere.detail()).isEqualTo("file " + secret + " is outside the allow-list [" + dir + "]");
            assertThat(folder.detail()).isEqualTo("file " + dir + " is an allowed directory, not a file in one");
        }
        assertThat(secret).hasContent("root:secret");
        assertThat(rotations()).isEmpty();
    }
}
