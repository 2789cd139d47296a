package dev.vigil.runtime.security.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestScreenTest {

    @ParameterizedTest
    @ValueSource(strings = {"/v1/hosts/../metrics", "/v1/hosts/./web-01", "/v1/hosts/..", "/v1/hosts/%2e%2e/metrics",
            "/v1/hosts/%2E%2e%2Fmetrics", "/v1/hosts/web-01%2Falerts", "/v1/hosts/%252e%252e/metrics", "/v1/hosts/web%00.txt",
            "/v1/hosts/web%5c..%5cmetrics", "/v1//hosts/web-01", "//v1/hosts/web-01", "/v1/hosts/web%0d%0aX-Injected:%20yes",
            "/v1/hosts/%1b%5B2J"})
    void shouldFindAProblemInAPathThatIsNotPlainlyItself(String path) {
        assertThat(RequestScreen.pathProblem(URI.create(path))).as(path).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/metrics", "/v1/hosts/web-01", "/v1/hosts/web-01/alerts", "/v1/silences/", "/v1/hosts/web.01:9100",
            "/v1/hosts/a..b", "/v1/hosts/caf%C3%A9"})
    void shouldFindNoProblemInAPlainPath(String path) {
        assertThat(RequestScreen.pathProblem(URI.create(path))).as(path).isNull();
    }

    @Test
    void shouldNameTheProblem() {
        assertThat(RequestScreen.pathProblem(URI.create("/a/%2e%2e/b"))).isEqualTo("an encoded %2e");
        assertThat(RequestScreen.pathProblem(URI.create("/a/../b"))).isEqualTo("a dot segment");
    }
}
