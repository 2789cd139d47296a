package dev.vigil.gateway.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.gateway.GatewayContext;
import dev.vigil.gateway.GatewayKeys;
import dev.vigil.gateway.GatewayProtocol;
import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.publish.Admission;
import dev.vigil.gateway.publish.BatchPublisher;

/**
 * The gateway scraping exporters itself, from {@code prometheus.scrape.file} (Prometheus' {@code scrape_configs}):
 * every job's targets (static, and file-discovered ones checked every round) every {@code scrape_interval}, each
 * scrape bounded by {@code scrape_timeout}. A scrape asks for the protobuf exposition format (see
 * {@link ExpositionDecoder}) and is published as one request through the same {@link PrometheusMapper} as remote write,
 * with {@code instance} (the target) and {@code job} labels and, like Prometheus, {@code up} (1 scraped, 0 failed) and
 * {@code scrape_duration_seconds} per target, published even when the scrape failed.
 */
public final class ScrapeProtocol implements GatewayProtocol {

    public static final String PROTOCOL = "prometheus_scrape";
    private static final Logger log = LoggerFactory.getLogger(ScrapeProtocol.class);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ScheduledExecutorService scheduler;
    private BatchPublisher publisher;
    private PrometheusMapper mapper;
    private final Map<String, String> lastErrors = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void start(GatewayContext context) throws IOException {
        Optional<Path> file = context.config().values().optional(GatewayKeys.PROMETHEUS_SCRAPE_FILE);
        if (file.isEmpty()) {
            return;
        }
        List<ScrapeJob> jobs;
        try {
            jobs = ScrapeConfigFile.read(file.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value " + file.get() + " for configuration " + GatewayKeys.PROMETHEUS_SCRAPE_FILE.name()
                    + ": " + e.getMessage(), e);
        }
        this.publisher = context.publisher();
        this.mapper = new PrometheusMapper(new HostIdentity(context.config().hostAttributes(),
                context.config().values().get(GatewayKeys.PROMETHEUS_STRIP_PORT)));
        this.scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "vigil-gateway-scrape");
            thread.setDaemon(true);
            return thread;
        });
        for (ScrapeJob job : jobs) {
            List<FileTargetDiscovery> discoveries = job.fileDiscovery().stream().map(sd -> new FileTargetDiscovery(sd.files())).toList();
            long interval = job.interval().toMillis();
            // Spread the first scrapes over the interval, as Prometheus does, rather than all at once.
            scheduler.scheduleAtFixedRate(() -> scrapeJob(job, discoveries), ThreadLocalRandom.current().nextLong(Math.min(interval, 1_000)),
                    interval, TimeUnit.MILLISECONDS);
        }
        log.info("Scraping {} job(s) from {}", jobs.size(), file.get());
    }

    private void scrapeJob(ScrapeJob job, List<FileTargetDiscovery> discoveries) {
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        List<TargetGroup> groups = new ArrayList<>(job.staticTargets());
        discoveries.forEach(discovery -> groups.addAll(discovery.groups()));
        for (TargetGroup group : groups) {
            for (String target : group.targets()) {
                Map<String, String> labels = new HashMap<>(group.labels());
                labels.put("instance", target);
                labels.put("job", job.name());
                targets.putIfAbsent(target, labels);
            }
        }
        targets.forEach((target, labels) -> {
            try {
                scrape(job, target, labels);
            } catch (RuntimeException e) {
                log.warn("Scraping {} of job {} failed: {}", target, job.name(), e.toString());
            }
        });
    }

    /** Scrapes one target and publishes what it gave, plus {@code up} and {@code scrape_duration_seconds}. */
    void scrape(ScrapeJob job, String target, Map<String, String> labels) {
        long start = System.currentTimeMillis();
        long started = System.nanoTime();
        List<PromSample> samples = new ArrayList<>();
        Map<String, PromType> types = new HashMap<>();
        boolean up;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(job.scheme() + "://" + target + job.metricsPath()))
                    .timeout(job.timeout())
                    .header("Accept", ExpositionDecoder.PROTOBUF_MEDIA_TYPE)
                    .header("X-Prometheus-Scrape-Timeout-Seconds", Double.toString(job.timeout().toMillis() / 1000.0))
                    .GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (response.statusCode() != 200) {
                    throw new IOException("status " + response.statusCode());
                }
                if (!type.startsWith("application/vnd.google.protobuf")) {
                    throw new IOException("the target answered '" + type + "', not the protobuf exposition format");
                }
                ExpositionDecoder.Scrape scrape = ExpositionDecoder.decode(body, labels, start);
                samples.addAll(scrape.samples());
                types.putAll(scrape.familyTypes());
            }
            up = true;
            lastErrors.remove(target);
        } catch (IOException | RuntimeException e) {
            up = false;
            samples.clear();
            if (!String.valueOf(e.getMessage()).equals(lastErrors.put(target, String.valueOf(e.getMessage())))) {
                log.warn("Scrape of {} (job {}) failed: {}", target, job.name(), e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        samples.add(new PromSample("up", labels, up ? 1 : 0, start));
        samples.add(new PromSample("scrape_duration_seconds", labels, seconds, start));
        types.put("up", PromType.GAUGE);
        types.put("scrape_duration_seconds", PromType.GAUGE);
        MappedRequest mapped = mapper.map(samples, types::get);
        Admission admission = publisher.publish(PROTOCOL, mapped);
        if (!(admission instanceof Admission.Accepted)) {
            log.warn("Scrape of {} (job {}) not published: {}", target, job.name(), admission);
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
