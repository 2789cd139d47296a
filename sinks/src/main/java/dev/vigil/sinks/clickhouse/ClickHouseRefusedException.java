package dev.vigil.sinks.clickhouse;

/** The server answered and refused: bad SQL, a missing table, or data it will not take. */
public final class ClickHouseRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClickHouseRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
