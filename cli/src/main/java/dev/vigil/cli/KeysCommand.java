package dev.vigil.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.vigil.runtime.security.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil keys generate}: an approver's Ed25519 key pair, for signed approvals (docs/security.md#signed-approvals). */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Signing keys for approvals (docs/security.md).",
        subcommands = {KeysCommand.Generate.class})
final class KeysCommand {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Makes an Ed25519 key pair: DIR/NAME.key (PKCS#8 PEM, private: keep it, rw-------) and DIR/NAME.pub",
                "(X.509 PEM: give it to the admin, who names it as public_key of your user in the access file)."})
    static final class Generate implements Callable<Integer> {

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Your user name in the access file.")
        private String name;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the two files (created if missing).")
        private Path out;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw new IllegalArgumentException("--name: letters, digits, '.', '_', '@', '-', at most 64, not '" + name + "'");
            }
            Path privateKey;
            try {
                privateKey = SigningKeys.write(SigningKeys.generate(), out, name);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new IllegalArgumentException(e.getFile() + " exists: a key is never overwritten; choose another --out or --name", e);
            }
            spec.commandLine().getOut().printf("Private key %s (keep it; only you may read it)%nPublic key  %s (add to the access file: "
                    + "public_key under user %s)%n", privateKey, SigningKeys.publicKeyFile(privateKey), name);
            return ExitCodes.OK;
        }
    }

    private KeysCommand() {
    }
}
