package dev.vigil.runtime.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access file as it is now: read at start (an error stops start-up), then read again when its modification time or
 * size changes, checked at most once per {@code poll} when a request asks. A revoked token thus stops working within
 * {@code poll} without a restart. A changed file with an error is logged once and not taken: the last good file stays in
 * force, so a typo cannot lock every operator out (nor let anyone in).
 */
public final class AccessControl {

    /** How often a running service looks at the file. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(AccessControl.class);

    private final Path file;
    private final Duration poll;
    private final Clock clock;
    private volatile AccessFile current;
    private volatile Stamp stamp;
    private volatile Stamp refused;
    private volatile Instant checkedAt;

    private record Stamp(long modifiedNanos, long size) {
    }

    private AccessControl(Path file, Duration poll, Clock clock, AccessFile first, Stamp stamp) {
        this.file = file;
        this.poll = poll;
        this.clock = clock;
        this.current = first;
        this.stamp = stamp;
        this.checkedAt = clock.instant();
    }

    /** Reads {@code file}; throws if it has an error, which must stop the service's start. */
    public static AccessControl load(Path file, Duration poll, Clock clock) throws AccessFileException {
        Objects.requireNonNull(file, "file can't be null");
        Stamp stamp = stamp(file);
        AccessFile first = AccessFileParser.parse(file);
        log.info("Access file {}: {} users, {} tokens, {} certificates", file, first.users().size(), first.tokens().size(),
                first.certificates().size());
        return new AccessControl(file, poll, clock, first, stamp);
    }

    public Path file() {
        return file;
    }

    /** The access file in force, read again first if it changed and {@code poll} has passed since the last look. */
    public AccessFile current() {
        Instant now = clock.instant();
        if (Duration.between(checkedAt, now).compareTo(poll) >= 0) {
            checkedAt = now;
            reloadIfChanged();
        }
        return current;
    }

    private synchronized void reloadIfChanged() {
        Stamp now = stamp(file);
        if (now.equals(stamp) || now.equals(refused)) {
            return;
        }
        try {
            AccessFile read = AccessFileParser.parse(file);
            current = read;
            stamp = now;
            refused = null;
            log.info("Access file {} changed: {} users, {} tokens, {} certificates", file, read.users().size(), read.tokens().size(),
                    read.certificates().size());
        } catch (AccessFileException e) {
            refused = now;
            log.error("Access file changed but is refused, the previous version stays in force: {}", e.getMessage());
        }
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                    + attributes.lastModifiedTime().toInstant().getNano(), attributes.size());
        } catch (IOException e) {
            return new Stamp(-1, -1);
        }
    }
}
