package dev.vigil.sinks;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.sinks.clickhouse.ClickHouseRefusedException;
import dev.vigil.sinks.clickhouse.ClickHouseUnavailableException;
import dev.vigil.sinks.tables.SinkTable;

/**
 * Drops the daily partitions of each table that are older than its retention. Servers with TTL expire rows
 * by themselves (the tables are created with one); on 18.16, which has no TTL, this is what keeps the
 * tables from growing forever. It runs on every server, so a shortened retention takes effect without an
 * {@code ALTER TABLE ... MODIFY TTL}. Dropping a partition is a metadata operation: cheap, and atomic.
 */
final class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
    private static final DateTimeFormatter PARTITION = DateTimeFormatter.BASIC_ISO_DATE; // toYYYYMMDD

    private final ClickHouse clickHouse;
    private final Map<SinkTable<?>, Optional<Duration>> retention;
    private final Clock clock;

    RetentionJob(ClickHouse clickHouse, Map<SinkTable<?>, Optional<Duration>> retention, Clock clock) {
        this.clickHouse = clickHouse;
        this.retention = retention;
        this.clock = clock;
    }

    /** Drops what has expired; returns the partitions dropped, as {@code table/YYYYMMDD}. */
    List<String> run() {
        List<String> dropped = new ArrayList<>();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        retention.forEach((table, keep) -> keep.ifPresent(days -> {
            String oldestKept = today.minusDays(days.toDays()).format(PARTITION);
            for (String partition : clickHouse.lines("SELECT DISTINCT partition FROM system.parts WHERE active AND database = '"
                    + clickHouse.database() + "' AND table = '" + table.name() + "'")) {
                if (partition.matches("\\d{8}") && partition.compareTo(oldestKept) < 0) {
                    clickHouse.execute("ALTER TABLE " + clickHouse.database() + "." + table.name() + " DROP PARTITION " + partition);
                    dropped.add(table.name() + "/" + partition);
                }
            }
        }));
        if (!dropped.isEmpty()) {
            log.info("Retention: dropped partitions {}", dropped);
        }
        return dropped;
    }

    /** {@link #run()} for a scheduler: a failure is logged and the next run tries again. */
    void runQuietly() {
        try {
            run();
        } catch (ClickHouseUnavailableException | ClickHouseRefusedException e) {
            log.warn("Retention run failed; the next one tries again: {}", e.getMessage());
        }
    }
}
