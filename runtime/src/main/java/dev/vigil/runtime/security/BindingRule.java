package dev.vigil.runtime.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.runtime.config.CommonKeys;

/**
 * What every listener of Vigil's may bind, the HTTP servers and the gateway's OTLP/gRPC port alike: beyond loopback only
 * with an access file (credentials checked); on loopback without one it serves unauthenticated, as {@code vigil dev} and
 * the tests need, and says so; beyond loopback without TLS it serves, but warns that credentials cross in plain text.
 */
public final class BindingRule {

    private static final Logger log = LoggerFactory.getLogger(BindingRule.class);

    private BindingRule() {
    }

    /**
     * Checks that {@code endpoint} may listen on {@code host}.
     *
     * @param hostKey        the setting that named {@code host}, for the message
     * @param endpoint       what listens, for messages ("the gateway's OTLP/gRPC endpoint")
     * @param authenticating whether an access file is set
     * @param tls            whether it serves TLS
     * @throws ConfigException naming {@code hostKey} beyond loopback without an access file
     */
    public static void check(String hostKey, String host, String endpoint, boolean authenticating, boolean tls) {
        boolean loopback = isLoopback(host);
        if (!authenticating && !loopback) {
            throw new ConfigException(hostKey, host, endpoint + " would serve " + host + " without authentication; set "
                    + CommonKeys.HTTP_ACCESS_FILE.name() + " to an access file with tokens or certificates (docs/security.md; "
                    + "`vigil token create` makes a token), or bind 127.0.0.1");
        }
        if (!authenticating) {
            log.warn("{} on {} is unauthenticated (loopback only); set {} to require tokens", endpoint, host, CommonKeys.HTTP_ACCESS_FILE.name());
        } else if (!loopback && !tls) {
            log.warn("{} on {} takes tokens in plain text; set {} to serve TLS", endpoint, host, CommonKeys.HTTP_TLS_KEYSTORE.name());
        }
    }

    /** Whether {@code host} names a loopback address (what may be served without an access file). */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
