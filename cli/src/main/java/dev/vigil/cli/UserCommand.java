package dev.vigil.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

import dev.vigil.runtime.security.AccessFileEditor;
import dev.vigil.runtime.security.AccessFileException;
import dev.vigil.runtime.security.PasswordHashes;
import dev.vigil.runtime.security.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil user add NAME}: a local user in the access file, with an Argon2id hash of a password read from the console
 * (asked twice) or, without one, the first line of standard input; never from the command line, where other users of
 * the machine and the shell's history would see it.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Local users: the console's login (docs/security.md).",
        subcommands = {UserCommand.Add.class})
final class UserCommand {

    /** Shortest password taken: a slow hash does not save a short one. */
    static final int MIN_PASSWORD = 12;

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a user; the password is read from the console or stdin.")
    static final class Add implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME", description = "The user's name, as audit records will show it.")
        private String name;

        @Option(names = "--roles", required = true, paramLabel = "ROLE,...", description = "Its roles: viewer, operator, approver, admin.")
        private String roles;

        @Mixin
        private AccessFileOption accessFile;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException, AccessFileException {
            var parsed = Role.parseList(roles);
            char[] password = readPassword();
            try {
                if (password.length < MIN_PASSWORD) {
                    throw new IllegalArgumentException("a password has at least " + MIN_PASSWORD + " characters");
                }
                AccessFileEditor.addUser(accessFile.get(), name, parsed, PasswordHashes.hash(password));
            } finally {
                Arrays.fill(password, '\0');
            }
            spec.commandLine().getOut().printf("User %s (%s) added to %s.%n", name, roles, accessFile.get());
            return ExitCodes.OK;
        }

        private static char[] readPassword() throws IOException {
            Console console = System.console();
            if (console != null) {
                char[] first = console.readPassword("Password: ");
                char[] again = console.readPassword("Again: ");
                if (first == null || !Arrays.equals(first, again)) {
                    throw new IllegalArgumentException("the two passwords differ");
                }
                Arrays.fill(again, '\0');
                return first;
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IllegalArgumentException("give the password on standard input (one line)");
            }
            return line.toCharArray();
        }
    }
}
