package dev.vigil.streams;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB store in this JVM together: one LRU block cache, with the memtables
 * charged against it through a write buffer manager, as the Kafka Streams memory-management guide advises.
 * Without it each store (and each partition of each store) takes its own cache and memtables, and memory
 * grows with the partition count. The bound comes from {@value #MEMORY_CONFIG}.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

    /** Streams config key for the shared budget in bytes. */
    public static final String MEMORY_CONFIG = "vigil.rocksdb.memory.bytes";
    /** Share of the budget the memtables may take; the rest caches blocks (index and filter blocks included). */
    private static final double WRITE_BUFFER_SHARE = 0.5;

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    private static synchronized void createShared(long bytes) {
        if (cache == null) {
            // Shared by design: these live as long as the JVM, like the stores that use them.
            cache = new LRUCache(bytes, -1, false, 0.1);
            writeBufferManager = new WriteBufferManager((long) (bytes * WRITE_BUFFER_SHARE), cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object configured = configs.get(MEMORY_CONFIG);
        createShared(configured == null ? 64L << 20 : Long.parseLong(configured.toString()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setTableFormatConfig(table);
        options.setMaxWriteBufferNumber(2);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write buffer manager are shared by every store; closing them here would break the others.
    }
}
