package dev.vigil.collectors.sensors;

import java.util.Map;
import java.util.Set;

import dev.vigil.collectors.agent.SampleSink;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

/**
 * Usage per mounted local filesystem, skipping pseudo and in-memory filesystems (proc, sysfs, tmpfs,
 * overlay ...), whose "usage" says nothing about disks; plus system-wide open file descriptors.
 */
public final class FileSystemSensor implements Sensor {

    /** Types that are not disks, beyond what OSHI already leaves out of local file stores. */
    static final Set<String> PSEUDO_TYPES = Set.of("proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "ramfs", "overlay",
            "squashfs", "cgroup", "cgroup2", "securityfs", "pstore", "debugfs", "tracefs", "configfs", "fusectl",
            "mqueue", "hugetlbfs", "autofs", "binfmt_misc", "bpf", "nsfs", "rpc_pipefs", "efivarfs", "selinuxfs");

    private final FileSystem fileSystem;

    public FileSystemSensor(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public void read(SampleSink sink) {
        for (OSFileStore store : fileSystem.getFileStores(true)) {
            if (PSEUDO_TYPES.contains(store.getType()) || store.getTotalSpace() <= 0) {
                continue;
            }
            long total = store.getTotalSpace();
            long free = store.getFreeSpace();
            long used = total - free;
            Map<String, String> where = Map.of("device", store.getName(), "mountpoint", store.getMount(), "type", store.getType());
            sink.gauge("system.filesystem.usage", "By", used, with(where, "used"));
            sink.gauge("system.filesystem.usage", "By", store.getUsableSpace(), with(where, "free"));
            sink.gauge("system.filesystem.utilization", "1", (double) used / total, where);
        }
        sink.gauge("system.open_files.count", "{file}", fileSystem.getOpenFileDescriptors(), Map.of());
        sink.gauge("system.open_files.limit", "{file}", fileSystem.getMaxFileDescriptors(), Map.of());
    }

    private static Map<String, String> with(Map<String, String> where, String state) {
        return Map.of("device", where.get("device"), "mountpoint", where.get("mountpoint"), "type", where.get("type"), "state", state);
    }
}
