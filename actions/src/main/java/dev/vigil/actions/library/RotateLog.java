package dev.vigil.actions.library;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.ActionSettings;

/**
 * {@code rotate-log}: copies a log file of an allow-listed directory to {@code NAME.yyyyMMdd-HHmmss.gz} beside it
 * (gzip, in Java), empties it, and deletes the oldest rotations beyond {@code keep}. It copies and truncates
 * (logrotate's {@code copytruncate}), so the writer needs no signal and keeps its open file; lines written between
 * the end of the copy and the truncation are lost, and a writer that does not append ({@code O_APPEND}) goes on at
 * its old offset. The file and its directory are opened without following links.
 *
 * @param directories where logs it may rotate are
 * @param keep        rotations kept
 * @param minSize     a smaller file is left as it is
 * @param compress    gzip the copy
 */
record RotateLog(AllowedDirectories directories, int keep, long minSize, boolean compress) implements FileAction {

    static final Set<String> SETTINGS = Set.of("directories", "keep", "min_size", "compress");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    public RotateLog {
        Objects.requireNonNull(directories, "directories can't be null");
    }

    static RotateLog from(ActionSettings settings) {
        return new RotateLog(new AllowedDirectories(settings.directories("directories")), settings.integer("keep", 5, 1, 1000),
                settings.bytes("min_size", 0, 0), settings.bool("compress", true));
    }

    @Override
    public String parameter() {
        return "file";
    }

    @Override
    public ActionOutcome run(Map<String, String> parameters, ActionContext context) throws ActionFailedException, IOException {
        Path file = directories.check("file", Texts.parameter(parameters, "file"));
        if (file.getParent() == null || directories.roots().contains(file)) {
            throw new ActionFailedException("file " + file + " is an allowed directory, not a file in one");
        }
        Path name = file.getFileName();
        try (SecureDirectoryStream<Path> folder = directories.open(file.getParent())) {
            BasicFileAttributes attributes = AllowedDirectories.attributes(folder, name)
                    .orElseThrow(() -> new ActionFailedException("file " + file + " does not exist"));
            if (!attributes.isRegularFile()) {
                throw new ActionFailedException("file " + file + " is " + (attributes.isSymbolicLink() ? "a symbolic link, not followed" : "no regular file"));
            }
            if (attributes.size() < minSize) {
                return new ActionOutcome(true, "not rotated: " + file + " has " + Texts.bytes(attributes.size()) + ", less than min_size "
                        + Texts.bytes(minSize));
            }
            Path rotated = rotatedName(folder, name, context);
            long written;
            try (SeekableByteChannel log = folder.newByteChannel(name, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS))) {
                written = copy(folder, log, rotated, permissions(folder, name));
                log.truncate(0);
            }
            List<Path> removed = prune(folder, name);
            return new ActionOutcome(true, "rotated " + file + " (" + Texts.bytes(attributes.size()) + ") into " + rotated + " ("
                    + Texts.bytes(written) + "); " + (removed.isEmpty() ? "" : "removed " + Texts.list(removed, 10) + "; ") + "keeping " + keep);
        }
    }

    /** A name for the rotation that does not exist yet: the time, and a counter if two rotations share a second. */
    private Path rotatedName(SecureDirectoryStream<Path> folder, Path name, ActionContext context) throws IOException {
        String base = name + "." + STAMP.format(context.clock().instant());
        for (int n = 0; ; n++) {
            Path candidate = Path.of(base + (n == 0 ? "" : "-" + n) + (compress ? ".gz" : ""));
            if (AllowedDirectories.attributes(folder, candidate).isEmpty()) {
                return candidate;
            }
        }
    }

    /** Copies all of {@code log} into the new file {@code rotated}, with the log's permissions; returns the bytes written. */
    private long copy(SecureDirectoryStream<Path> folder, SeekableByteChannel log, Path rotated, Set<PosixFilePermission> permissions)
            throws IOException {
        try (SeekableByteChannel target = folder.newByteChannel(rotated, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(permissions))) {
            Counting counted = new Counting(Channels.newOutputStream(target));
            try (OutputStream out = compress ? new GZIPOutputStream(counted, 64 * 1024) : counted) {
                Channels.newInputStream(log).transferTo(out);
            }
            return counted.bytes;
        } catch (FileAlreadyExistsException e) {
            throw new IOException("rotation " + rotated + " appeared while rotating", e);
        }
    }

    /** Counts what goes through to the rotated file; closing it leaves the file's channel to its owner. */
    private static final class Counting extends FilterOutputStream {
        long bytes;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytes++;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static Set<PosixFilePermission> permissions(SecureDirectoryStream<Path> folder, Path name) throws IOException {
        return folder.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes().permissions();
    }

    /** Deletes the oldest rotations of {@code name} beyond {@code keep}; returns their names. */
    private List<Path> prune(SecureDirectoryStream<Path> folder, Path name) throws IOException {
        Pattern rotation = Pattern.compile(Pattern.quote(name.toString()) + "\\.(\\d{8}-\\d{6})(?:-(\\d+))?(?:\\.gz)?");
        Map<String, Path> byAge = new TreeMap<>(Comparator.reverseOrder());
        for (Path entry : folder) {
            Path entryName = entry.getFileName();
            Matcher matcher = rotation.matcher(entryName.toString());
            if (matcher.matches() && AllowedDirectories.attributes(folder, entryName).map(BasicFileAttributes::isRegularFile).orElse(false)) {
                // The time stamp sorts as text; a counter orders the rotations of one second.
                byAge.put(matcher.group(1) + String.format(Locale.ROOT, "%09d", matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2))),
                        entryName);
            }
        }
        List<Path> rotations = new ArrayList<>(byAge.values());
        List<Path> removed = new ArrayList<>();
        for (Path old : rotations.subList(Math.min(keep, rotations.size()), rotations.size())) {
            folder.deleteFile(old);
            removed.add(old);
        }
        return removed;
    }
}
