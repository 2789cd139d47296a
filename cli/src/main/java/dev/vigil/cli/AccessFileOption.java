package dev.vigil.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The {@code --access-file FILE} option of the commands that edit an access file: tokens and users (docs/security.md). */
final class AccessFileOption {

    @Option(names = "--access-file", required = true, paramLabel = "FILE",
            description = "The access file (created if missing when something is added to it).")
    private Path file;

    Path get() {
        return file;
    }
}
