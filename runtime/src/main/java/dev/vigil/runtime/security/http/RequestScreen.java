package dev.vigil.runtime.security.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import dev.vigil.runtime.security.Untrusted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The first filter of every route, before any credential is looked at: a path that is not plainly itself (dot segments,
 * empty segments, backslashes, control characters, encoded dots, slashes, backslashes or NULs) is refused 400, and a body
 * over the route's limit 413: at once when its {@code Content-Length} says so, else (chunked) as soon as the handler reads
 * past the limit, never reading further. Refusals are counted as {@code vigil_http_requests_refused_total{reason}} and
 * logged with the reason, the untrusted parts {@link Untrusted#quote quoted}.
 */
final class RequestScreen extends Filter {

    private static final Logger log = LoggerFactory.getLogger(RequestScreen.class);
    /** Encodings that spell a path separator or a dot, or end a C string, in lower case. */
    private static final List<String> ENCODED = List.of("%2e", "%2f", "%5c", "%00");

    private final long maxBodyBytes;
    private final Map<RequestRefusal, Counter> refused = new EnumMap<>(RequestRefusal.class);

    RequestScreen(long maxBodyBytes, MeterRegistry metrics) {
        this.maxBodyBytes = maxBodyBytes;
        for (RequestRefusal reason : RequestRefusal.values()) {
            refused.put(reason, Counter.builder("vigil.http.requests.refused").description("HTTP requests refused before authentication")
                    .tag("reason", reason.label()).register(metrics));
        }
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String problem = pathProblem(exchange.getRequestURI());
        if (problem != null) {
            refuse(exchange, RequestRefusal.BAD_PATH, problem, "the path must be plain: no . or .. segments, no //, no encoded / . \\ or NUL");
            return;
        }
        long declared = declaredLength(exchange);
        if (declared > maxBodyBytes) {
            refuse(exchange, RequestRefusal.BODY_TOO_LARGE, "Content-Length " + declared, "the body may be at most " + maxBodyBytes + " bytes");
            return;
        }
        try {
            chain.doFilter(new BodyLimitedExchange(exchange));
        } catch (BodyTooLargeException e) {
            // the handler read past the limit; closing the exchange answered 413
        }
    }

    @Override
    public String description() {
        return "Vigil request screen: paths and body sizes";
    }

    /** What is wrong with the path of {@code uri}, or null if nothing is. */
    static String pathProblem(URI uri) {
        String raw = uri.getRawPath();
        String decoded = uri.getPath();
        if (raw == null || decoded == null || !raw.startsWith("/")) {
            return "not an absolute path";
        }
        if (uri.getRawAuthority() != null) {
            return "an authority (//host)"; // also //v1/..., which would lose its first segment to the authority
        }
        for (String path : List.of(raw, decoded)) { // the decoded form too: %252e is %2e once decoded
            if (Untrusted.hasControl(path)) {
                return "a control character";
            }
            if (path.indexOf('\\') >= 0) {
                return "a backslash";
            }
            String lower = path.toLowerCase(Locale.ROOT);
            for (String encoded : ENCODED) {
                if (lower.contains(encoded)) {
                    return "an encoded " + encoded;
                }
            }
        }
        String[] segments = decoded.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals(".") || segments[i].equals("..")) {
                return "a dot segment";
            }
            if (segments[i].isEmpty() && i < segments.length - 1) {
                return "an empty segment";
            }
        }
        return null;
    }

    private static long declaredLength(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1; // the JDK's server refuses it before any filter
        }
    }

    private void refuse(HttpExchange exchange, RequestRefusal reason, String detail, String message) throws IOException {
        try (exchange) {
            refused.get(reason).increment();
            log.warn("Refused {} {} from {}: {} ({})", Untrusted.quote(exchange.getRequestMethod()), Untrusted.quote(exchange.getRequestURI().getRawPath()),
                    exchange.getRemoteAddress().getAddress().getHostAddress(), reason.label(), detail);
            if (reason == RequestRefusal.BODY_TOO_LARGE) {
                exchange.getResponseHeaders().set("Connection", "close"); // the rest of the body is not read
            }
            RefusalResponse.send(exchange, reason.status(), message, reason.label());
        }
    }

    /** Thrown to the handler that reads past the limit. */
    static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(long limit) {
            super("the request body is over " + limit + " bytes");
        }
    }

    /** The exchange with its body cut at the limit; closed after reading past it, it answers 413 unless the handler answered. */
    private final class BodyLimitedExchange extends DelegatingExchange {

        private final LimitedBody body;

        BodyLimitedExchange(HttpExchange exchange) {
            super(exchange);
            this.body = new LimitedBody(exchange.getRequestBody());
        }

        @Override
        public InputStream getRequestBody() {
            return body;
        }

        @Override
        public void close() {
            if (body.exceeded && exchange.getResponseCode() == -1) {
                try {
                    refuse(exchange, RequestRefusal.BODY_TOO_LARGE, "read past the limit", "the body may be at most " + maxBodyBytes + " bytes");
                    return;
                } catch (IOException e) {
                    log.debug("Cannot answer 413: {}", e.toString());
                }
            }
            exchange.close();
        }
    }

    /** A body that gives at most {@code maxBodyBytes} and throws on the first byte beyond. */
    private final class LimitedBody extends FilterInputStream {

        private long read;
        private boolean exceeded;

        LimitedBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (exceeded) {
                throw new BodyTooLargeException(maxBodyBytes);
            }
            if (length == 0) {
                return 0;
            }
            // ask for one byte more than is left, to learn whether the body goes beyond the limit
            int asked = (int) Math.min(length, maxBodyBytes - read + 1);
            int n = in.read(buffer, offset, asked);
            if (n > 0) {
                read += n;
                if (read > maxBodyBytes) {
                    exceeded = true;
                    throw new BodyTooLargeException(maxBodyBytes);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            int got = read(new byte[(int) Math.min(n, 8192)]); // read, not skipped: what is skipped counts too
            return Math.max(got, 0);
        }
    }
}
