package dev.vigil.e2e.attacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.runtime.security.Refusal;
import dev.vigil.runtime.security.http.RequestRefusal;
import dev.vigil.stack.RawHttp;

/**
 * Sends attacks to one service's HTTP endpoint byte by byte ({@link RawHttp}) and enters each answer in the ledger: accepted
 * when it is a success or a redirect, and otherwise the meter the refusal should have been counted in, read from the
 * answer's {@code reason} (the shared server's refusals) or {@code field} (a handler's 400, counted in
 * {@code fieldMeter}).
 */
public final class HttpAttacker {

    /** How a refused request is logged by the shared server and the APIs: the reason, or {@code field NAME}. */
    public static final Pattern REFUSAL_LOG = Pattern.compile(
            "Refused (?:\"\\w+\" |silence request \\w+ |query )\"(?:[^\"\\\\]|\\\\.)*\" from \\S+: (field \\w+|\\w+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final int port;
    private final String fieldMeter;
    private final String fieldLabel;
    private final AttackLedger ledger;

    /**
     * @param fieldMeter the meter a handler's 400 naming a field is counted in, and its label ({@code field}, or
     *                   {@code outcome} whose value is then {@code refused})
     */
    public HttpAttacker(String service, int port, String fieldMeter, String fieldLabel, AttackLedger ledger) {
        this.service = service;
        this.port = port;
        this.fieldMeter = fieldMeter;
        this.fieldLabel = fieldLabel;
        this.ledger = ledger;
    }

    /**
     * Sends {@code request} as part of {@code attack}; returns the answer.
     *
     * @param expected the reason it must be refused for ({@code missing_role}), or {@code field NAME} for a handler's 400
     */
    public RawHttp.Answer attack(String attack, RawHttp.Request request, String expected) {
        RawHttp.Answer answer = RawHttp.send(port, request);
        boolean accepted = answer.status() < 400;
        String reason = null;
        String field = null;
        if (!accepted) {
            try {
                JsonNode body = JSON.readTree(answer.body());
                reason = body.hasNonNull("reason") ? body.get("reason").asText() : null;
                field = body.hasNonNull("field") ? body.get("field").asText() : null;
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON refusal from " + service + ": " + answer, e);
            }
        }
        AttackLedger.Recorded recorded = recorded(reason, field);
        String logged = recorded == null ? null : recorded.label().equals("reason") ? reason : "field " + field;
        ledger.add(new AttackLedger.Attempt(attack, service, accepted, Integer.toString(answer.status()), recorded, logged,
                expected, "log"));
        return answer;
    }

    private AttackLedger.Recorded recorded(String reason, String field) {
        if (reason != null && Arrays.stream(Refusal.values()).anyMatch(r -> r.label().equals(reason))) {
            return new AttackLedger.Recorded("vigil_http_auth_refused_total", "reason", reason);
        }
        if (reason != null && Arrays.stream(RequestRefusal.values()).anyMatch(r -> r.label().equals(reason))) {
            return new AttackLedger.Recorded("vigil_http_requests_refused_total", "reason", reason);
        }
        if (field != null) {
            return new AttackLedger.Recorded(fieldMeter, fieldLabel, fieldLabel.equals("field") ? field : "refused");
        }
        return null;
    }

    /** How many refusal lines {@code log} has under each key (a reason, or {@code field NAME}). */
    public static Map<String, Long> refusalsLogged(String log) {
        Matcher matcher = REFUSAL_LOG.matcher(log);
        Map<String, Long> keys = new TreeMap<>();
        while (matcher.find()) {
            keys.merge(matcher.group(1), 1L, Long::sum);
        }
        return keys;
    }
}
