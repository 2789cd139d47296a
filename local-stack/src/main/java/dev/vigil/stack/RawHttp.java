package dev.vigil.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests a well-behaved client will not send: paths it would normalize or refuse
 * ({@code /v1/hosts/../metrics}, {@code %2e%2e}), header values with CR or LF, a {@code Content-Length} larger than the
 * body that follows, a chunked body of any size. Each request opens its own connection and closes it after the answer.
 */
public final class RawHttp {

    private static final int TIMEOUT_MILLIS = 15_000;

    private RawHttp() {
    }

    /** An answer: the status, the headers (names in lower case, in order) and the body as text. */
    public record Answer(int status, Map<String, List<String>> headers, String body) {
        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** A request to send: the request line's method and target as given, header lines as given, and a body. */
    public record Request(String method, String target, List<String> headerLines, byte[] body, Framing framing) {

        public Request {
            headerLines = List.copyOf(headerLines);
        }

        /** A request without body. */
        public static Request of(String method, String target, String... headerLines) {
            return new Request(method, target, List.of(headerLines), new byte[0], Framing.CONTENT_LENGTH);
        }

        /** This with {@code body} framed as {@code framing}. */
        public Request withBody(byte[] body, Framing framing) {
            return new Request(method, target, headerLines, body, framing);
        }

        /** This with one more header line, written as given (CR and LF included). */
        public Request withHeader(String line) {
            List<String> lines = new ArrayList<>(headerLines);
            lines.add(line);
            return new Request(method, target, lines, body, framing);
        }
    }

    /** How the body is framed. */
    public enum Framing {
        /** {@code Content-Length} with the body's length, then the body. */
        CONTENT_LENGTH,
        /** {@code Transfer-Encoding: chunked}, the body in 8 KiB chunks and the last, empty one. */
        CHUNKED,
        /** Only a header saying the body is {@code body.length} bytes long, and no body: an answer is expected before it. */
        DECLARED_ONLY
    }

    /** Sends {@code request} to {@code 127.0.0.1:port} and reads the answer. */
    public static Answer send(int port, Request request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n");
            request.headerLines().forEach(line -> head.append(line).append("\r\n"));
            switch (request.framing()) {
                case CONTENT_LENGTH, DECLARED_ONLY -> head.append("Content-Length: ").append(request.body().length).append("\r\n");
                case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                writeBody(out, request);
            } catch (IOException e) {
                // the server may answer and close before the whole body is written: its answer is what counts
            }
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("no answer to " + request.method() + " " + request.target() + " on port " + port, e);
        }
    }

    private static void writeBody(OutputStream out, Request request) throws IOException {
        byte[] body = request.body();
        switch (request.framing()) {
            case CONTENT_LENGTH -> out.write(body);
            case DECLARED_ONLY -> {
            }
            case CHUNKED -> {
                for (int offset = 0; offset < body.length; offset += 8192) {
                    int length = Math.min(8192, body.length - offset);
                    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body, offset, length);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> length = headers.get("content-length");
        List<String> encoding = headers.get("transfer-encoding");
        if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer.parseInt(line(in).strip(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length.get(0))));
        } else {
            body.write(in.readAllBytes());
        }
        return new Answer(Integer.parseInt(status[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed in the middle of the answer's head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
