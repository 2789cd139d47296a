package dev.vigil.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the Debian-packaged peers the stack runs (node_exporter, Prometheus), with an install hint when one is missing. */
final class Binaries {

    private Binaries() {
    }

    /** The absolute path of {@code binary} on the PATH or in /usr/bin, /usr/sbin; else a StackException naming {@code debianPackage}. */
    static String locate(String binary, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : (path + ":/usr/bin:/usr/sbin").split(":")) {
            if (!folder.isEmpty()) {
                Path candidate = Path.of(folder, binary);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new StackException(binary + " not found: run scripts/install-deps --tests (apt-get install -y " + debianPackage + ")");
    }
}
