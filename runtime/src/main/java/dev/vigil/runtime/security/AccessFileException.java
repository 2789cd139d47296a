package dev.vigil.runtime.security;

import java.nio.file.Path;

/** An access file Vigil refuses: the message is {@code file:line: reason}. */
public final class AccessFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String reason;

    public AccessFileException(Path file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    /** 1-based. */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
