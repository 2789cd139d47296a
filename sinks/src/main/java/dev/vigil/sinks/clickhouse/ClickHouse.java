package dev.vigil.sinks.clickhouse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.data.ClickHouseFormat;

/**
 * The few things the sinks ask of ClickHouse, over the official Java client ({@code client-v2}) used the way
 * that works from 18.16 to current servers: statements through {@code execute}, queries read as raw
 * {@code TabSeparated} text, and inserts streamed as {@code RowBinary}.
 */
public final class ClickHouse implements AutoCloseable {

    private final Client client;
    private final String database;
    private final Duration timeout;

    /**
     * @param url      HTTP endpoint, e.g. {@code http://127.0.0.1:8123}
     * @param password never logged; comes from the environment or a file (see {@code SinkConfig})
     */
    public ClickHouse(String url, String user, String password, String database, Duration timeout) {
        this.database = Objects.requireNonNull(database, "database can't be null");
        this.timeout = Objects.requireNonNull(timeout, "timeout can't be null");
        this.client = new Client.Builder()
                .addEndpoint(Objects.requireNonNull(url, "url can't be null"))
                .setUsername(Objects.requireNonNull(user, "user can't be null"))
                .setPassword(Objects.requireNonNull(password, "password can't be null"))
                // client-v2 reads compressed responses of 18.16 as empty bodies; plain ones work everywhere.
                .compressServerResponse(false)
                .setConnectTimeout(5, ChronoUnit.SECONDS)
                .setSocketTimeout(timeout.toMillis(), ChronoUnit.MILLIS)
                .build();
    }

    public String database() {
        return database;
    }

    /** The server's version, from {@code SELECT version()}. */
    public ServerVersion version() {
        return ServerVersion.parse(lines("SELECT version()").get(0));
    }

    /** Runs a statement (DDL, ALTER) and waits for it. */
    public void execute(String sql) {
        await(() -> client.execute(sql), sql);
    }

    /** Runs a query and returns its rows as TabSeparated lines (tabs split the columns). */
    public List<String> lines(String sql) {
        return lines(sql, "TabSeparated");
    }

    /** Runs a query and returns its output in a line-based text {@code format}, e.g. TabSeparatedWithNames, line by line. */
    @SuppressWarnings("try") // QueryResponse.close() declares InterruptedException; it is handled below
    public List<String> lines(String sql, String format) {
        String query = sql + " FORMAT " + format;
        try (QueryResponse response = await(() -> client.query(query), sql);
             BufferedReader reader = new BufferedReader(new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw new ClickHouseUnavailableException("reading the result of '" + sql + "' failed: " + e.getMessage(), e);
        } catch (ClickHouseUnavailableException | ClickHouseRefusedException e) {
            throw e;
        } catch (Exception e) {
            throw new ClickHouseUnavailableException("closing the result of '" + sql + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * Inserts rows {@code [from, to)} of {@code rows} into {@code table}, in one request.
     *
     * @throws ClickHouseRefusedException     the server answered and refused the insert (perhaps because of a row)
     * @throws ClickHouseUnavailableException the server could not be reached or did not answer in time
     */
    public void insert(String table, List<String> columns, RowBinaryBuffer rows, int from, int to) {
        // The table is qualified in the statement: 18.16 ignores the database setting client-v2 sends with inserts.
        await(() -> client.insert(database + "." + table, columns, out -> rows.writeRows(from, to, out), ClickHouseFormat.RowBinary,
                new InsertSettings()), "insert into " + table);
    }

    /** Runs a client call and waits for it, turning every failure into one of the two the sinks tell apart. */
    private <T> T await(Supplier<CompletableFuture<T>> call, String what) {
        CompletableFuture<T> future = null;
        try {
            future = call.get(); // may fail at once: the client runs some operations on the calling thread
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), what);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ClickHouseUnavailableException(what + ": no answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseUnavailableException(what + ": interrupted", e);
        } catch (RuntimeException e) {
            throw translate(e, what);
        }
    }

    private static RuntimeException translate(Throwable cause, String what) {
        if (cause instanceof ServerException server) {
            return new ClickHouseRefusedException(what + " refused by the server: " + server.getMessage(), server);
        }
        return new ClickHouseUnavailableException(what + " failed: " + cause, cause);
    }

    @Override
    public void close() {
        client.close();
    }
}
