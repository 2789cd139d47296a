package dev.vigil.cli;

import java.util.Optional;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Optional.ofNullable(Main.class.getPackage().getImplementationVersion()).orElse("development");
        return new String[] {"vigil " + version, "Java " + Runtime.version()};
    }
}
