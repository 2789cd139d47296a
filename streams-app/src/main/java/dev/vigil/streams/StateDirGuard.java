package dev.vigil.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Marks an application's local state as in use while it runs, so that the next start can tell whether the
 * last one ended cleanly. A mark found at start means the process died (SIGKILL, OOM, power loss) and its
 * RocksDB stores may hold writes of a transaction that was aborted: exactly-once then requires rebuilding
 * them from the changelogs.
 *
 * <p>Kafka Streams is meant to do that by itself (no checkpoint file under exactly-once means "wipe"), but
 * 4.1 and 4.2 leave the checkpoint written at the end of restoration in place while the task runs
 * (KAFKA-20685), so after a crash the stores are trusted as they are and a memtable flushed in the middle of
 * a transaction survives its abort. {@code StreamsAppIT} catches that with small memtables. Kafka 4.3, whose
 * RocksDB stores keep their offsets themselves, is not affected; the guard costs nothing after a clean stop.
 *
 * <p>The mark is held under an OS file lock, which dies with the process: a second instance pointed at
 * the same state directory is refused instead of wiping the first one's state.
 */
final class StateDirGuard implements AutoCloseable {

    private final Path mark;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean previousRunDied;

    private StateDirGuard(Path mark, FileChannel channel, FileLock lock, boolean previousRunDied) {
        this.mark = mark;
        this.channel = channel;
        this.lock = lock;
        this.previousRunDied = previousRunDied;
    }

    /**
     * Takes the mark of {@code applicationId} in {@code stateDir}, creating the directory if needed.
     *
     * @throws IllegalStateException if another live process holds it
     */
    static StateDirGuard acquire(Path stateDir, String applicationId) {
        Objects.requireNonNull(stateDir, "stateDir can't be null");
        Objects.requireNonNull(applicationId, "applicationId can't be null");
        Path mark = stateDir.resolve(applicationId + ".running");
        FileChannel channel = null;
        try {
            Files.createDirectories(stateDir);
            boolean found = Files.exists(mark);
            channel = FileChannel.open(mark, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new IllegalStateException("state.dir " + stateDir + " is in use by another instance of " + applicationId
                        + " (" + mark + " is locked); give each instance its own state.dir");
            }
            return new StateDirGuard(mark, channel, lock, found);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot mark " + mark + " as in use", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this very JVM: as much in use as by another process
        }
    }

    /** Whether the last run with this state directory died without {@link #releaseClean() a clean stop}. */
    boolean previousRunDied() {
        return previousRunDied;
    }

    /** After a clean stop (every task committed and checkpointed): the next start may trust the local state. */
    void releaseClean() {
        try {
            Files.deleteIfExists(mark);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + mark, e);
        } finally {
            close();
        }
    }

    /** Lets go of the lock but leaves the mark: the next start will rebuild the local state. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // The lock goes with the channel anyway.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing to do: the OS releases the lock when the process ends.
            }
        }
    }
}
