package dev.vigil.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.vigil.runtime.security.AccessFileEditor;
import dev.vigil.runtime.security.AccessFileException;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil token create|revoke}: bearer tokens in an access file. A new token is printed once, on standard output
 * alone (so {@code vigil token create ... > file} keeps it), and only its SHA-256 is written to the file.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Bearer tokens for Vigil's HTTP endpoints (docs/security.md).",
        subcommands = {TokenCommand.Create.class, TokenCommand.Revoke.class})
final class TokenCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Makes a token, prints it once and appends its hash to the access file.")
    static final class Create implements Callable<Integer> {

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The token's id: lower-case letters, digits, '.', '-'.")
        private String id;

        @Option(names = "--principal", required = true, paramLabel = "NAME", description = "Who uses it, as audit records will name them.")
        private String principal;

        @Option(names = "--roles", required = true, paramLabel = "ROLE,...", description = "Its roles: viewer, operator, approver, admin, publisher.")
        private String roles;

        @Option(names = "--expires", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Refused after this long (30d, 12h); without it the token lasts until revoked.")
        private Duration expires;

        @Mixin
        private AccessFileOption accessFile;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException, AccessFileException {
            Set<Role> parsed = Role.parseList(roles);
            String token = Tokens.generate(id);
            Optional<Instant> until = Optional.ofNullable(expires).map(duration -> Instant.now().plus(duration).truncatedTo(
                    java.time.temporal.ChronoUnit.SECONDS));
            AccessFileEditor.addToken(accessFile.get(), id, principal, parsed, Tokens.sha256Hex(token), until);
            spec.commandLine().getErr().printf("Token %s for %s (%s)%s added to %s; it is shown once, below: keep it in a secret store.%n",
                    id, principal, roles, until.map(instant -> ", expiring " + instant).orElse(""), accessFile.get());
            spec.commandLine().getOut().println(token);
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Marks a token revoked; running services refuse it within seconds, without a restart.")
    static final class Revoke implements Callable<Integer> {

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The token's id.")
        private String id;

        @Mixin
        private AccessFileOption accessFile;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException, AccessFileException {
            AccessFileEditor.revokeToken(accessFile.get(), id);
            spec.commandLine().getOut().printf("Token %s revoked in %s.%n", id, accessFile.get());
            return ExitCodes.OK;
        }
    }
}
