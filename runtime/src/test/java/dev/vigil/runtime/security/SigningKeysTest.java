package dev.vigil.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

    @Test
    void shouldWriteBothKeysReadableByTheOwnerOnlyAndReadThemBack(@TempDir Path folder) throws IOException {
        KeyPair keys = SigningKeys.generate();

        Path privateFile = SigningKeys.write(keys, folder, "alice");

        assertThat(privateFile).hasFileName("alice.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("alice.pub")))).isEqualTo("rw-------");
        assertThat(Files.readString(privateFile)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(folder.resolve("alice.pub"))).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(SigningKeys.readPrivate(privateFile).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        assertThat(SigningKeys.readPublic(SigningKeys.publicKeyFile(privateFile)).getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    }

    @Test
    void shouldRefuseAPrivateKeyGroupOrOthersMayReadNamingTheFile(@TempDir Path folder) throws IOException {
        Path privateFile = SigningKeys.write(SigningKeys.generate(), folder, "bob");
        Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> SigningKeys.readPrivate(privateFile)).isInstanceOf(IOException.class)
                .hasMessageContaining("the key file " + privateFile + " may be read or written by group or others ([GROUP_READ])")
                .hasMessageContaining("chmod 600");

        Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw----r--"));
        assertThatThrownBy(() -> SigningKeys.readPrivate(privateFile)).hasMessageContaining("[OTHERS_READ]");
    }

    @Test
    void shouldNeverOverwriteAKey(@TempDir Path folder) throws IOException {
        SigningKeys.write(SigningKeys.generate(), folder, "carol");

        assertThatThrownBy(() -> SigningKeys.write(SigningKeys.generate(), folder, "carol")).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void shouldRefuseAFileThatIsNoKey(@TempDir Path folder) throws IOException {
        Path file = Files.writeString(folder.resolve("x.pub"), "hello");

        assertThatThrownBy(() -> SigningKeys.readPublic(file)).hasMessageContaining("holds no '-----BEGIN PUBLIC KEY-----' block");
    }
}
