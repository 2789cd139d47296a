package dev.vigil.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A browser as far as the console's tests need one: it keeps the session and login form cookies, follows no redirects (the
 * tests look at them), and sends forms as a browser on the console's page would (with the console's own {@code Origin}).
 */
public final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private String session;
    private String loginForm;

    public ConsoleClient(String base) {
        this.base = base;
    }

    /** The session cookie's value, if the console gave one. */
    public Optional<String> session() {
        return Optional.ofNullable(session);
    }

    /** Uses {@code value} as the session cookie (an old one, to see it refused). */
    public void useSession(String value) {
        this.session = value;
    }

    /** Logs in as a browser does, through the login form and its token; returns the answer (303 to /alerts when it worked). */
    public HttpResponse<String> login(String user, String password) {
        String form = get("/login").body();
        return post("/login", Map.of("username", user, "password", password, "csrf", csrf(form)));
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    /** GET with {@code Authorization: Bearer token}. */
    public HttpResponse<String> get(String path, String bearer) {
        return send(request(path).header("Authorization", "Bearer " + bearer).GET().build());
    }

    public HttpResponse<String> post(String path, Map<String, String> form) {
        return post(path, form, base);
    }

    /** A form POST as if the page came from {@code origin}. */
    public HttpResponse<String> post(String path, Map<String, String> form, String origin) {
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded").header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The CSRF token of the first form on {@code page}. */
    public static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        if (!m.find()) {
            throw new AssertionError("no csrf field on the page");
        }
        return m.group(1);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        String cookies = Stream.of(session == null ? null : "vigil_session=" + session, loginForm == null ? null : "vigil_login=" + loginForm)
                .filter(Objects::nonNull).collect(Collectors.joining("; "));
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            response.headers().allValues("Set-Cookie").forEach(cookie -> {
                String value = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
                if (cookie.startsWith("vigil_session=")) {
                    session = value.isEmpty() ? null : value;
                } else if (cookie.startsWith("vigil_login=")) {
                    loginForm = value.isEmpty() ? null : value;
                }
            });
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
