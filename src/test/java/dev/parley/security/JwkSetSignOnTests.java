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
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on without discovery: the issuer's key set given directly, another claim naming the
 * user, and no audience required.
 */
@ParleyTest
class JwkSetSignOnTests {
    private static final TestIssuer ISSUER = new TestIssuer();

    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @DynamicPropertySource
    static void keySet(DynamicPropertyRegistry registry) {
        registry.add("parley.auth.jwt.jwk-set-uri", ISSUER::jwkSetUri);
        registry.add("parley.auth.jwt.username-claim", () -> "nickname");
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.close();
    }

    @Test
    void theConfiguredClaimNamesTheUser() {
        String token = ISSUER.jwt(claims -> claims.claim("nickname", "jwks-alice").claim("preferred_username", "other")
                .audience("whoever"));
        Accounts.http(port).get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.username").isEqualTo("jwks-alice");
        ChatClient alice = clients.track(ChatClient.connect(port, "access_token=" + token));
        assertThat(alice.welcome().get("user").asString()).isEqualTo("jwks-alice");
    }

    @Test
    void madeUpKeyIdsDoNotMakeTheServerFetchTheKeysAgainAndAgain() {
        String token = ISSUER.jwt(claims -> claims.claim("nickname", "jwks-bob"));
        Accounts.http(port).get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk();
        int fetches = ISSUER.keyFetches();
        for (int i = 0; i < 20; i++) {
            String madeUp = ISSUER.jwtSignedBy(TestIssuer.rsaKey("made-up-" + i), claims -> claims.claim("nickname", "jwks-bob"));
            Accounts.http(port).get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + madeUp).exchange()
                    .expectStatus().isUnauthorized();
        }
        assertThat(ISSUER.keyFetches() - fetches).as("at most one fetch per key-refresh-interval").isLessThanOrEqualTo(1);
        Accounts.http(port).get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk();
    }

    @Test
    void aJwtNeverActsAsALocalAccountNorAsAGuestOnlineNow() {
        Accounts.register(port, "jwks-local");
        String local = ISSUER.jwt(claims -> claims.claim("nickname", "jwks-local"));
        Accounts.http(port).get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + local).exchange()
                .expectStatus().isUnauthorized();
        clients.welcomedGuest(port, "jwks-guest");
        String guest = ISSUER.jwt(claims -> claims.claim("nickname", "JWKS-GUEST"));
        Accounts.http(port).get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + guest).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void aJwtSignedByAnotherKeyIsRefused() {
        String forged = ISSUER.jwtSignedBy(TestIssuer.rsaKey("issuer-key"), claims -> claims.claim("nickname", "jwks-eve"));
        Accounts.http(port).get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + forged).exchange()
                .expectStatus().isUnauthorized();
    }
}
