package dev.vigil.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.stack.FileTrees;
import dev.vigil.stack.Ports;

/**
 * The real Prometheus (the {@code prometheus} and {@code promtool} on the PATH: Debian's 2.42 here) over the leak
 * cases' samples: written as OpenMetrics text, backfilled with {@code promtool tsdb create-blocks-from openmetrics},
 * served by {@code prometheus} on loopback from that data directory, and asked for {@code predict_linear} over its
 * HTTP API at the same minutes Vigil estimated. Nothing is scraped; the server is stopped on close.
 */
final class PrometheusReplay implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path work;
    private final Process server;
    private final String url;

    private PrometheusReplay(Path work, Process server, String url) {
        this.work = work;
        this.server = server;
        this.url = url;
    }

    static PrometheusReplay start(List<LeakCases.Case> cases) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("vigil-prometheus-replay");
        Path text = work.resolve("leaks.om.txt");
        try (BufferedWriter out = Files.newBufferedWriter(text)) {
            out.write("# TYPE leak gauge\n");
            for (int c = 0; c < cases.size(); c++) {
                LeakCases.Case leak = cases.get(c);
                for (int k = 0; k < leak.times().length; k++) {
                    out.write("leak{case=\"" + c + "\"} " + leak.values()[k] + " " + leak.times()[k] / 1000 + "\n");
                }
            }
            out.write("# EOF\n");
        }
        Path data = work.resolve("data");
        run(List.of("promtool", "tsdb", "create-blocks-from", "openmetrics", text.toString(), data.toString()), work.resolve("promtool.log"));
        Path config = Files.writeString(work.resolve("prometheus.yml"), "global: {}\n");
        int port = Ports.preferredOrFree(0);
        Process server = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + data,
                "--storage.tsdb.retention.time=100y", "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        String url = "http://127.0.0.1:" + port;
        PrometheusReplay replay = new PrometheusReplay(work, server, url);
        for (int attempt = 0; ; attempt++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (attempt > 300 || !server.isAlive()) {
                replay.close();
                throw new IOException("prometheus did not become ready; see " + work.resolve("prometheus.log"));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        System.out.printf("Prometheus %s serving %d leaks backfilled from %s%n", version(), cases.size(), text);
        return replay;
    }

    /** Per evaluation of every case (the cases it was started with), |predict_linear's time to exhaustion - the truth| in hours. */
    double[] errors(List<LeakCases.Case> cases, Duration window) throws IOException, InterruptedException {
        List<Double> errors = new ArrayList<>();
        for (int c = 0; c < cases.size(); c++) {
            LeakCases.Case leak = cases.get(c);
            if (leak.evaluations().isEmpty()) {
                continue;
            }
            long from = leak.evaluations().get(0).time();
            long to = leak.evaluations().get(leak.evaluations().size() - 1).time();
            String selector = "leak{case=\"" + c + "\"}[" + window.toSeconds() + "s]";
            Map<Long, Double> now = range("predict_linear(" + selector + ", 0)", from, to);
            Map<Long, Double> inAnHour = range("predict_linear(" + selector + ", 3600)", from, to);
            for (LeakCases.Evaluation evaluation : leak.evaluations()) {
                Double p0 = now.get(evaluation.time());
                Double p1 = inAnHour.get(evaluation.time());
                double predicted = p0 == null || p1 == null ? Double.POSITIVE_INFINITY
                        : ExhaustionAccuracy.hoursToCeiling(leak.ceiling(), p0, p1 - p0);
                errors.add(Math.abs(predicted - (leak.exhaustedAt() - evaluation.time()) / 3.6e6));
            }
        }
        return errors.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A range query at one-minute steps from {@code from} to {@code to} (epoch ms): time (ms) to value. */
    private Map<Long, Double> range(String query, long from, long to) throws IOException, InterruptedException {
        String uri = url + "/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start=" + from / 1000.0
                + "&end=" + to / 1000.0 + "&step=60";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("prometheus answered " + response.statusCode() + " to " + query + ": " + response.body());
        }
        Map<Long, Double> values = new HashMap<>();
        for (JsonNode series : JSON.readTree(response.body()).path("data").path("result")) {
            for (JsonNode point : series.path("values")) {
                values.put(Math.round(point.get(0).asDouble() * 1000), Double.parseDouble(point.get(1).asText()));
            }
        }
        return values;
    }

    private static String version() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("prometheus", "--version").redirectErrorStream(true).start();
        String first = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("?");
        process.waitFor();
        return first.replace("prometheus, version ", "");
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed; see " + log);
        }
    }

    @Override
    public void close() throws IOException {
        server.destroy();
        try {
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FileTrees.delete(work);
    }
}
