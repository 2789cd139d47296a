package dev.vigil.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashesTest {

    @Test
    void shouldHashWithArgon2idAndVerify() {
        String hash = PasswordHashes.hash("correct horse".toCharArray());

        assertThat(hash).startsWith("$argon2id$v=19$m=65536,t=3,p=1$");
        assertThat(PasswordHashes.isArgon2id(hash)).isTrue();
        assertThat(PasswordHashes.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(PasswordHashes.verify("correct horsE".toCharArray(), hash)).isFalse();
        assertThat(PasswordHashes.hash("correct horse".toCharArray())).as("salted afresh").isNotEqualTo(hash);
    }

    @Test
    void shouldVerifyAHashMadeByTheReferenceImplementation() {
        // argon2 CLI (the reference implementation): echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

        assertThat(PasswordHashes.verify("password".toCharArray(), reference)).isTrue();
        assertThat(PasswordHashes.verify("passwore".toCharArray(), reference)).isFalse();
    }

    @Test
    void shouldRecogniseOnlyArgon2idHashes() {
        assertThat(PasswordHashes.isArgon2id("hunter2")).isFalse();
        assertThat(PasswordHashes.isArgon2id("$2y$10$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui")).isFalse();
        assertThat(PasswordHashes.isArgon2id("$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA"))
                .isFalse();
        assertThat(PasswordHashes.verify("x".toCharArray(), "not a hash")).isFalse();
    }
}
