package dev.vigil.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the throughput harnesses read off the processes they measure. */
final class ChildProcesses {

    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private ChildProcesses() {
    }

    /** User plus system CPU seconds of a process, its threads and native threads included, from /proc/PID/stat. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        return (Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12))) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** The value of the first line of a Prometheus scrape that {@code metric} matches (group 1), or 0 while it is not up. */
    static double scrape(HttpClient http, URI uri, Pattern metric) {
        try {
            Matcher matcher = metric.matcher(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
            return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
        } catch (IOException e) {
            return 0; // not up yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
