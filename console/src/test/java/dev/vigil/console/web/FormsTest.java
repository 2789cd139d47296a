package dev.vigil.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FormsTest {

    @Test
    void shouldDecodeFieldsKeepingTheFirstOfARepeatedOne() {
        assertThat(Forms.parse("a=1&b=x+y%21&a=2&c&=z&d=%zz")).containsExactly(Map.entry("a", "1"), Map.entry("b", "x y!"), Map.entry("c", ""),
                Map.entry("", "z"), Map.entry("d", ""));
        assertThat(Forms.parse(null)).isEmpty();
    }

    @Test
    void shouldRefuseAFormLargerThanTheLimit() {
        byte[] big = new byte[Forms.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) 'a');

        assertThatThrownBy(() -> Forms.read(new ByteArrayInputStream(big))).isInstanceOf(Forms.TooLarge.class);
    }
}
