package dev.vigil.gateway.prometheus;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One {@code scrape_configs} entry of the gateway's scrape file, the subset of Prometheus' format the gateway reads.
 *
 * @param name           {@code job_name}: the {@code job} label of its series
 * @param interval       {@code scrape_interval}
 * @param timeout        {@code scrape_timeout}, at most the interval
 * @param metricsPath    {@code metrics_path}
 * @param scheme         {@code http} or {@code https}
 * @param staticTargets  {@code static_configs}
 * @param fileDiscovery  {@code file_sd_configs}
 */
public record ScrapeJob(String name, Duration interval, Duration timeout, String metricsPath, String scheme,
                        List<TargetGroup> staticTargets, List<FileDiscovery> fileDiscovery) {

    public ScrapeJob {
        Objects.requireNonNull(name, "name can't be null");
        if (timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException("job " + name + ": scrape_timeout " + timeout + " is longer than scrape_interval " + interval);
        }
        staticTargets = List.copyOf(staticTargets);
        fileDiscovery = List.copyOf(fileDiscovery);
    }

    /**
     * A {@code file_sd_configs} entry: files (the last path element may hold a {@code *}) of target groups, read
     * again when one changes, checked every {@code refreshInterval}.
     */
    public record FileDiscovery(List<String> files, Duration refreshInterval) {
        public FileDiscovery {
            files = List.copyOf(files);
        }
    }
}
