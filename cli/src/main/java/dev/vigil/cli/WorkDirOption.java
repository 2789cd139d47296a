package dev.vigil.cli;

import java.nio.file.Path;
import java.util.Optional;

import picocli.CommandLine.Option;

/** The {@code --work-dir} option every stack-aware command shares. */
final class WorkDirOption {

    /** Used when neither the option nor {@code VIGIL_WORK_DIR} is given. */
    static final Path DEFAULT = Path.of(".vigil", "dev");

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Folder of the local stack: data, logs, state (default: $VIGIL_WORK_DIR or ./.vigil/dev).")
    private Path workDir;

    Path get() {
        if (workDir != null) {
            return workDir.toAbsolutePath();
        }
        return Optional.ofNullable(System.getenv("VIGIL_WORK_DIR")).map(Path::of).orElse(DEFAULT).toAbsolutePath();
    }
}
