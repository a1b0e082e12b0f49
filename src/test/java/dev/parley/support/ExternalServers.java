package dev.parley.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Servers the tests use when the environment names them (PostgreSQL, Redis): skipped loudly, or failed where required. */
final class ExternalServers {

    private ExternalServers() {
    }

    /**
     * The server's URL from {@code urlVariable}; without it the calling tests are skipped with {@code skipped} said
     * loudly, or failed when {@code requiredVariable} is {@code required} (as CI sets it).
     */
    static String require(String urlVariable, String requiredVariable, String skipped) {
        String url = System.getenv(urlVariable);
        if (url == null || url.isBlank()) {
            Loudly.say(skipped);
            if ("required".equalsIgnoreCase(System.getenv(requiredVariable))) {
                Assertions.fail(skipped + " " + requiredVariable + "=required makes this a failure.");
            }
            Assumptions.abort(skipped);
        }
        return url;
    }
}
