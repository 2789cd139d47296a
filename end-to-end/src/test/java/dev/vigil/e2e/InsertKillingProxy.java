package dev.vigil.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy between the sink and ClickHouse's HTTP port that, once {@link #arm armed}, kills the sink the moment
 * ClickHouse answers an {@code INSERT} into the watched table, before the answer reaches the sink: the rows are in
 * ClickHouse and the sink never learns it, so it cannot commit their offsets. That is a crash between insert and
 * commit, made to happen on purpose instead of by chance.
 *
 * <p>Everything else passes through byte for byte; while ClickHouse is down, connections are refused the way the
 * server's own port refuses them (accepted and closed at once).
 */
final class InsertKillingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final String watchedTable;
    private final AtomicReference<Runnable> armed = new AtomicReference<>();
    private final CountDownLatch fired = new CountDownLatch(1);
    private final Thread acceptor;

    InsertKillingProxy(int upstreamPort, String watchedTable) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        this.watchedTable = watchedTable;
        this.acceptor = new Thread(this::accept, "insert-killing-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Runs {@code kill} (once) when ClickHouse next answers an insert into the watched table, before relaying the answer. */
    void arm(Runnable kill) {
        armed.set(kill);
    }

    boolean awaitFired(java.time.Duration timeout) throws InterruptedException {
        return fired.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                daemon("proxy-connection", () -> relay(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(Socket client) {
        try (client; Socket clickHouse = new Socket()) {
            try {
                clickHouse.connect(upstream, 2000);
            } catch (IOException e) {
                return; // ClickHouse is down: the sink sees the connection closed, as with the server itself
            }
            // One request at a time per connection (HTTP/1.1 without pipelining): remember whether the latest
            // request was a watched insert, and act on the first bytes of its answer.
            AtomicReference<Boolean> insertPending = new AtomicReference<>(false);
            Thread upload = daemon("proxy-upload", () -> {
                try {
                    pump(client.getInputStream(), clickHouse.getOutputStream(), chunk -> {
                        String text = new String(chunk, StandardCharsets.ISO_8859_1);
                        if (text.startsWith("POST ") || text.startsWith("GET ")) {
                            insertPending.set(text.contains("INSERT") && text.contains(watchedTable));
                        }
                    });
                } catch (IOException e) {
                    // either side closed
                } finally {
                    closeQuietly(clickHouse);
                }
            });
            try {
                pump(clickHouse.getInputStream(), client.getOutputStream(), chunk -> {
                    if (insertPending.get()) {
                        Runnable kill = armed.getAndSet(null);
                        if (kill != null) {
                            kill.run();
                            fired.countDown();
                            throw new KilledException();
                        }
                    }
                });
            } catch (KilledException e) {
                // the answer is dropped with the sink
            }
            upload.join(1000);
        } catch (IOException e) {
            // a side closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private interface ChunkObserver {
        void seen(byte[] chunk) throws IOException;
    }

    private static final class KilledException extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static void pump(InputStream in, OutputStream out, ChunkObserver observer) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            observer.seen(java.util.Arrays.copyOf(buffer, Math.min(n, 4096)));
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
