package dev.vigil.collectors.spool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.MetricBatch;

/**
 * The agent's bounded on-disk queue of batches not yet acknowledged by Kafka, in sequence order.
 *
 * <p>Every batch is written here first and removed once Kafka has it, so batches survive both a Kafka
 * outage and an agent restart. One small file per batch ({@code <sequence>.batch}, plain Avro binary of
 * {@link MetricBatch}, written to a temporary name and renamed), which at one batch per host per tick is
 * a handful of files a minute. When the spool would exceed its size, the oldest batches are dropped and
 * counted: recent data is worth more to an operator than old data after a long outage.
 *
 * <p>Sequence numbers come from here too ({@link #nextSequence()}), continuing after a restart from the
 * highest ever spooled, so consumers can see gaps and replays per host.
 */
public final class Spool {

    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final String SUFFIX = ".batch";
    private static final String SEQUENCE_FILE = "last-sequence";

    private final Path dir;
    private final long maxBytes;
    private final TreeMap<Long, Long> sizesBySequence = new TreeMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();
    private final SpecificDatumWriter<MetricBatch> writer = new SpecificDatumWriter<>(MetricBatch.class);
    private final SpecificDatumReader<MetricBatch> reader = new SpecificDatumReader<>(MetricBatch.class);
    private long totalBytes;
    private long lastSequence;

    /** Opens (creating if needed) the spool in {@code dir}, finding batches an earlier run left. */
    public Spool(Path dir, long maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        Files.createDirectories(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    long sequence = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                    long size = Files.size(file);
                    sizesBySequence.put(sequence, size);
                    totalBytes += size;
                } else if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file); // a write that a crash interrupted; the batch was never acknowledged to anyone
                }
            }
        }
        Path sequenceFile = dir.resolve(SEQUENCE_FILE);
        long recorded = Files.exists(sequenceFile) ? Long.parseLong(Files.readString(sequenceFile).strip()) : 0;
        lastSequence = Math.max(recorded, sizesBySequence.isEmpty() ? 0 : sizesBySequence.lastKey());
        if (!sizesBySequence.isEmpty()) {
            log.info("Spool {} holds {} batch(es) from an earlier run, {} bytes", dir, sizesBySequence.size(), totalBytes);
        }
    }

    /** The sequence number for the next batch: one more than any batch ever spooled here. */
    public synchronized long nextSequence() {
        return lastSequence + 1;
    }

    /**
     * Writes {@code batch} (whose sequence must come from {@link #nextSequence()}) and drops the oldest
     * batches while the spool is over its size.
     */
    public synchronized void append(MetricBatch batch) throws IOException {
        long sequence = batch.getSequence();
        if (sequence <= lastSequence) {
            throw new IllegalArgumentException("sequence " + sequence + " is not after the last spooled " + lastSequence);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        writer.write(batch, encoder);
        Path target = file(sequence);
        Path temporary = dir.resolve(target.getFileName() + ".tmp");
        Files.write(temporary, bytes.toByteArray());
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        lastSequence = sequence;
        Files.writeString(dir.resolve(SEQUENCE_FILE), Long.toString(sequence));
        sizesBySequence.put(sequence, (long) bytes.size());
        totalBytes += bytes.size();
        while (totalBytes > maxBytes && sizesBySequence.size() > 1) {
            Map.Entry<Long, Long> oldest = sizesBySequence.firstEntry();
            removeFile(oldest.getKey());
            dropped.incrementAndGet();
            log.warn("Spool {} is over {} bytes: dropped batch {}", dir, maxBytes, oldest.getKey());
        }
        notifyAll();
    }

    /** The oldest spooled sequence after {@code sequence}, waiting up to {@code timeoutMillis} for one to arrive. */
    public synchronized Optional<Long> nextAfter(long sequence, long timeoutMillis) throws InterruptedException {
        Long next = sizesBySequence.higherKey(sequence);
        if (next == null && timeoutMillis > 0) {
            wait(timeoutMillis);
            next = sizesBySequence.higherKey(sequence);
        }
        return Optional.ofNullable(next);
    }

    /** The oldest spooled sequence, if any. */
    public synchronized Optional<Long> oldest() {
        return sizesBySequence.isEmpty() ? Optional.empty() : Optional.of(sizesBySequence.firstKey());
    }

    /**
     * Reads a spooled batch; empty if it was dropped or removed meanwhile, or if its file is damaged (a
     * disk error, a foreign file): such a batch is removed and counted, so it cannot block the ones after it.
     */
    public Optional<MetricBatch> read(long sequence) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file(sequence));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            synchronized (reader) {
                return Optional.of(reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null)));
            }
        } catch (IOException | RuntimeException e) {
            log.error("Spooled batch {} in {} is damaged and is dropped: {}", sequence, dir, e.toString());
            corrupt.incrementAndGet();
            remove(sequence);
            return Optional.empty();
        }
    }

    /** Batches dropped because their spool file could not be read back. */
    public long corrupt() {
        return corrupt.get();
    }

    /** Forgets a batch Kafka has acknowledged. */
    public synchronized void remove(long sequence) throws IOException {
        removeFile(sequence);
    }

    private void removeFile(long sequence) throws IOException {
        Long size = sizesBySequence.remove(sequence);
        if (size != null) {
            totalBytes -= size;
            Files.deleteIfExists(file(sequence));
        }
    }

    public synchronized int size() {
        return sizesBySequence.size();
    }

    public synchronized long bytes() {
        return totalBytes;
    }

    /** Batches dropped because the spool was full, since this spool was opened. */
    public long dropped() {
        return dropped.get();
    }

    private Path file(long sequence) {
        return dir.resolve(String.format("%020d%s", sequence, SUFFIX));
    }
}
