package dev.vigil.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.vigil.runtime.config.Services;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that runs one of Vigil's services until Ctrl-C or SIGTERM ({@code collect}, {@code streams},
 * {@code sink}, {@code remediate}): settings from {@code --config}, the environment and the local stack; the
 * service started and announced; closed from the shutdown hook.
 */
abstract class ServiceCommand implements Callable<Integer> {

    @Mixin
    private ClientSettings settings;

    @Spec
    private CommandSpec spec;

    /** Starts the service and prints one line saying where it runs; returns what stops it. */
    abstract AutoCloseable start(ClientSettings settings, PrintWriter out) throws Exception;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AutoCloseable service = start(settings, out);
        out.flush();
        Services.runUntilJvmStops(spec.name(), service);
        return ExitCodes.OK;
    }
}
