package dev.vigil.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks loopback ports for the stack's servers (and the harnesses' services).
 *
 * <p>These servers learn their port before they bind it (Kafka's ports go into its configuration, a child
 * process gets its port on the command line), so another socket can take the port in between. The kernel
 * answers "port 0" from its ephemeral range, the range it also draws the local port of every outgoing
 * connection from: any process connecting anywhere could take such a port in that window, and a Kafka
 * controller that cannot bind its port halts the JVM. So "any free port" is drawn below the ephemeral
 * range, where only an explicit bind can take it, and this JVM never hands the same port out twice.
 */
public final class Ports {

    /** Lowest port drawn for "any free port"; below it sit the well-known defaults of many servers. */
    static final int LOWEST_DRAWN = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default first ephemeral port, for systems that do not say. */
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * {@code preferred} if it is free on loopback, else a free port below the kernel's ephemeral range.
     * {@code 0} always means "any free port". A server that still finds its port taken fails fast with a
     * message naming it.
     */
    public static int preferredOrFree(int preferred) {
        if (preferred > 0 && isFree(preferred)) {
            HANDED_OUT.add(preferred);
            return preferred;
        }
        int highest = ephemeralLow() - 1;
        if (highest - LOWEST_DRAWN < 1_000) {
            return anyEphemeral(); // a system with an unusually wide ephemeral range: nothing better to offer
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int candidate = random.nextInt(LOWEST_DRAWN, highest + 1);
            if (!HANDED_OUT.contains(candidate) && isFree(candidate) && HANDED_OUT.add(candidate)) {
                return candidate;
            }
        }
        throw new StackException("Cannot find a free loopback port between " + LOWEST_DRAWN + " and " + highest
                + " after " + ATTEMPTS + " tries");
    }

    /** The first port of the kernel's ephemeral range ({@value #DEFAULT_EPHEMERAL_LOW} where it does not say). */
    static int ephemeralLow() {
        // Files.readString is no good here: it trusts the size /proc reports and can return one byte.
        try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unreadable) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    private static int anyEphemeral() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("Cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
