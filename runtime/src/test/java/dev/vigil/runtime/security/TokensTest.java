package dev.vigil.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void shouldMakeTokensOfIdAnd43Base64urlCharacters() {
        String token = Tokens.generate("grafana-1");

        assertThat(token).matches("vgl_grafana-1_[A-Za-z0-9_-]{43}");
        assertThat(Tokens.idOf(token)).contains("grafana-1");
        assertThat(Tokens.generate("grafana-1")).isNotEqualTo(token);
    }

    @Test
    void shouldStoreOnlyTheSha256AndMatchIt() {
        String token = Tokens.generate("ci");
        String stored = Tokens.sha256Hex(token);

        assertThat(stored).hasSize(64).matches("[0-9a-f]+").doesNotContain(token.substring(7));
        assertThat(Tokens.isSha256Hex(stored)).isTrue();
        assertThat(Tokens.matches(token, stored)).isTrue();
        assertThat(Tokens.matches(token + "x", stored)).isFalse();
        assertThat(Tokens.matches(Tokens.generate("ci"), stored)).isFalse();
    }

    @Test
    void shouldKnowTheSha256OfAKnownText() {
        assertThat(Tokens.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void shouldRefuseIdsThatWouldMakeTokensAmbiguous() {
        assertThatThrownBy(() -> Tokens.generate("a_b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tokens.generate("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Tokens.idOf("vgl_ci_short")).isEmpty();
        assertThat(Tokens.idOf("Bearer nonsense")).isEmpty();
    }
}
