package dev.vigil.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the harnesses read off the processes they run: CPU and memory from /proc, meters from a Prometheus scrape. */
public final class ProcessStats {

    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ProcessStats() {
    }

    /** User plus system CPU seconds of a process, its threads and native threads included, from /proc/PID/stat. */
    public static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        return (Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12))) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** Resident memory of a process in MiB, from /proc/PID/status. */
    public static long rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return 0;
    }

    /**
     * The sum of every line of a Prometheus scrape that {@code metric} matches (its group 1 is the value), so that
     * a meter with several tag sets counts whole; 0 while the endpoint is not up.
     */
    public static double scrape(URI uri, Pattern metric) {
        return scrape(uri, metric, null);
    }

    /** As {@link #scrape(URI, Pattern)}, sending {@code token} as a bearer token (a service with an access file) unless null. */
    public static double scrape(URI uri, Pattern metric, String token) {
        return scrapeAll(uri, metric, token).stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The value of every line of a Prometheus scrape that {@code metric} matches (group 1); empty while the endpoint is not up. */
    public static List<Double> scrapeAll(URI uri, Pattern metric) {
        return scrapeAll(uri, metric, null);
    }

    /** As {@link #scrapeAll(URI, Pattern)}, sending {@code token} as a bearer token unless null. */
    public static List<Double> scrapeAll(URI uri, Pattern metric, String token) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri);
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            Matcher matcher = metric.matcher(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
            List<Double> values = new ArrayList<>();
            while (matcher.find()) {
                values.add(Double.parseDouble(matcher.group(1)));
            }
            return values;
        } catch (IOException e) {
            return List.of(); // not up (yet, or any more)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** A pattern for {@link #scrape}: every line of the meter {@code name}, whatever its tags. */
    public static Pattern meter(String name) {
        return Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$");
    }
}
