package dev.vigil.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UntrustedTest {

    @Test
    void shouldQuoteALogValueSoThatItCannotStartALineOfItsOwn() {
        String quoted = Untrusted.quote("/v1/x\r\n2026-01-01 INFO Silence created by admin\u001b[2J\"\\");

        assertThat(quoted).isEqualTo("\"/v1/x\\r\\n2026-01-01 INFO Silence created by admin\\u001b[2J\\\"\\\\\"");
        assertThat(quoted).doesNotContain("\n", "\r", "\u001b");
    }

    @Test
    void shouldEscapeUnicodeLineSeparatorsAndC1Controls() {
        assertThat(Untrusted.quote("a\u2028b\u0085c")).isEqualTo("\"a\\u2028b\\u0085c\"");
    }

    @Test
    void shouldCutALongValue() {
        String quoted = Untrusted.quote("x".repeat(10_000));

        assertThat(quoted).hasSize(Untrusted.MAX_LOGGED + 5).endsWith("...\"");
    }

    @Test
    void shouldRefuseAHeaderValueWithCrOrLfAndPassAPlainOne() {
        assertThat(Untrusted.headerValue("/v1/silences/abc-1")).isEqualTo("/v1/silences/abc-1");
        assertThatThrownBy(() -> Untrusted.headerValue("/x\r\nSet-Cookie: session=stolen")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+000D").hasMessageNotContaining("\r\n");
        assertThatThrownBy(() -> Untrusted.headerValue("/x\n evil")).isInstanceOf(IllegalArgumentException.class);
    }
}
