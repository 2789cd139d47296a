package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void shouldDrawAnyFreePortBelowTheEphemeralRangeAndNeverTheSameTwice() {
        Set<Integer> drawn = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = Ports.preferredOrFree(0);
            assertThat(port).isBetween(Ports.LOWEST_DRAWN, Ports.ephemeralLow() - 1);
            assertThat(drawn.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }

    @Test
    void shouldKeepAFreePreferredPortAndReplaceATakenOne() throws IOException {
        int preferred = Ports.preferredOrFree(0);
        assertThat(Ports.preferredOrFree(preferred)).isEqualTo(preferred);
        try (ServerSocket taken = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
            int replacement = Ports.preferredOrFree(preferred);
            assertThat(replacement).isNotEqualTo(preferred);
            assertThat(Ports.isFree(replacement)).isTrue();
        }
    }
}
