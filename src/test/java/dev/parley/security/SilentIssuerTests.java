package dev.parley.security;

import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import dev.parley.support.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on while the issuer takes connections but does not answer: logins fail within
 * {@code fetch-timeout} instead of hanging, and the failure is not kept for the next login.
 */
@ParleyTest
class SilentIssuerTests {
    private static final TestIssuer ISSUER = new TestIssuer();

    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @DynamicPropertySource
    static void issuerProperties(DynamicPropertyRegistry registry) {
        registry.add("parley.auth.jwt.issuer-uri", ISSUER::uri);
        registry.add("parley.auth.jwt.audience", () -> "parley");
        // far below the test client's own wait (ChatClient.TIMEOUT), which a hung login would run into
        registry.add("parley.auth.jwt.fetch-timeout", () -> "1s");
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.close();
    }

    private WebTestClient.ResponseSpec me(String token) {
        return Accounts.get(port, token, "/api/auth/me").exchange();
    }

    @Test
    void loginsWhileTheIssuerDoesNotAnswerFailInTimeAndTheFirstAfterItRecoversGetsIn() {
        String token = ISSUER.jwt(claims -> claims.claim("preferred_username", "silent-ann"));
        String unavailable = "the JWT could not be checked: the issuer's keys are unavailable; try again later";
        Sinks.Empty<Void> held = ISSUER.holdKeys();
        try {
            me(token).expectStatus().isUnauthorized().expectBody()
                    .jsonPath("$.code").isEqualTo("unauthorized").jsonPath("$.message").isEqualTo(unavailable);
            int fetches = ISSUER.keyFetches();
            // a failed fetch is not handed to the next login: it asks the issuer again, and is refused in time too
            Accounts.handshake(port, "access_token=" + token).exchange().expectStatus().isUnauthorized().expectBody().jsonPath("$.message").isEqualTo(unavailable);
            assertThat(ISSUER.keyFetches()).isGreaterThan(fetches);
        } finally {
            ISSUER.releaseKeys(held);
        }
        me(token).expectStatus().isOk().expectBody().jsonPath("$.username").isEqualTo("silent-ann");
        ChatClient ann = clients.track(ChatClient.connect(port, "access_token=" + token));
        assertThat(ann.welcome().get("user").asString()).isEqualTo("silent-ann");
    }
}
