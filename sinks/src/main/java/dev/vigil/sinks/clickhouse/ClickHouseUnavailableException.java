package dev.vigil.sinks.clickhouse;

/** The server could not be reached, or did not answer in time: worth retrying as it is. */
public final class ClickHouseUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClickHouseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
