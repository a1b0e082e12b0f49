package dev.parley.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.stats.Limit;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import dev.parley.support.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Enterprise single sign-on: JWTs from an OIDC issuer, here a key pair made by the test and an
 * issuer (discovery document and JWK set) served by the test on a local port.
 */
@ParleyTest
class SingleSignOnTests {
    private static final TestIssuer ISSUER = new TestIssuer();
    /** Same key id, other key: a forger who knows the id but not the key. */
    private static final RSAKey FORGED = TestIssuer.rsaKey("issuer-key");

    @LocalServerPort
    int port;
    @Autowired
    ParleyMetrics metrics;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @DynamicPropertySource
    static void issuerProperties(DynamicPropertyRegistry registry) {
        registry.add("parley.auth.jwt.issuer-uri", ISSUER::uri);
        registry.add("parley.auth.jwt.audience", () -> "parley");
        // one handshake at a time, to see the cap at work
        registry.add("parley.abuse.handshakes", () -> "1");
        // an unknown key makes the server fetch the keys again every time (the cap test holds that fetch)
        registry.add("parley.auth.jwt.key-refresh-interval", () -> "0s");
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.close();
    }

    private static String jwt(RSAKey key, Consumer<JWTClaimsSet.Builder> changes) {
        return ISSUER.jwtSignedBy(key, changes);
    }

    private static String jwt(Consumer<JWTClaimsSet.Builder> changes) {
        return ISSUER.jwt(changes);
    }

    private static String jwtFor(String username) {
        return jwt(claims -> claims.claim("preferred_username", username));
    }

    private WebTestClient.ResponseSpec me(String token) {
        return Accounts.http(port).get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private WebTestClient.ResponseSpec handshake(String query) {
        return Accounts.handshake(port, query).exchange();
    }

    @Test
    void aJwtOfTheIssuerNamesTheUserOverRestAndWebSocket() {
        String token = jwtFor("Sso-Alice");
        me(token).expectStatus().isOk().expectBody()
                .jsonPath("$.username").isEqualTo("Sso-Alice").jsonPath("$.guest").isEqualTo(false);

        // one after the other: this server works on one handshake at a time
        ChatClient byQuery = clients.track(ChatClient.connect(port, "access_token=" + token));
        assertThat(byQuery.welcome().get("user").asString()).isEqualTo("Sso-Alice");
        ChatClient byHeader = clients.track(ChatClient.connect(port, "",
                Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + token)));
        assertThat(byHeader.welcome().get("user").asString()).isEqualTo("Sso-Alice");
        Accounts.get(port, token, "/api/rooms").exchange().expectStatus().isOk();
    }

    @Test
    void aUserOfTheIssuerIsKnownLikeARegisteredOne() {
        me(jwtFor("sso-bob")).expectStatus().isOk();
        handshake("nickname=SSO-BOB").expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("name_taken");
        // and can be written to while away
        ChatClient carol = clients.track(ChatClient.connect(port, "access_token=" + jwtFor("sso-carol")));
        carol.welcome();
        assertThat(carol.call(Map.of("type", "dm", "to", "sso-bob", "text", "hi")).get("type").asString()).isEqualTo("ack");
        Accounts.http(port).post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Accounts.credentials("sso-bob", "a password of mine")).exchange().expectStatus().isEqualTo(409);
    }

    @Test
    void jwtsThatDoNotCheckOutAreRefused() {
        Map<String, String> refused = Map.of(
                "expired", jwt(c -> c.claim("preferred_username", "sso-dan")
                        .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5))))),
                "other issuer", jwt(c -> c.claim("preferred_username", "sso-dan").issuer("https://other.example")),
                "other audience", jwt(c -> c.claim("preferred_username", "sso-dan").audience("not-parley")),
                "forged signature", jwt(FORGED, c -> c.claim("preferred_username", "sso-dan")),
                "no username", jwt(c -> { }),
                "not a Parley name", jwt(c -> c.claim("preferred_username", "dan the man")),
                "HMAC with a guessed secret", hmac("sso-dan"),
                "unsigned", jwtFor("sso-dan").substring(0, jwtFor("sso-dan").lastIndexOf('.') + 1));
        refused.forEach((why, token) -> {
            me(token).expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo("unauthorized");
            handshake("access_token=" + token + "&nickname=sso-dan-guest").expectStatus().isUnauthorized();
        });
    }

    private static String hmac(String username) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .issuer(ISSUER.uri()).audience("parley").claim("preferred_username", username)
                    .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
            jwt.sign(new MACSigner("a secret of at least thirty-two bytes!!"));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void handshakesBeyondTheCapAreRefusedWhileOthersAreInProgress() {
        double before = metrics.refusals(Limit.HANDSHAKES);
        Sinks.Empty<Void> held = ISSUER.holdKeys();
        int fetches = ISSUER.keyFetches();
        ChatClient waiting;
        try {
            // an unknown key id makes the server fetch the issuer's keys again: this handshake waits for them
            waiting = clients.track(ChatClient.connect(port, "access_token="
                    + jwt(TestIssuer.rsaKey("rotated-key"), c -> c.claim("preferred_username", "sso-erin"))));
            await().atMost(ChatClient.TIMEOUT).until(() -> ISSUER.keyFetches() > fetches);

            handshake("nickname=sso-turned-away").expectStatus().isEqualTo(429)
                    .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
            assertThat(metrics.refusals(Limit.HANDSHAKES)).isEqualTo(before + 1);
            assertThat(waiting.isClosed()).isFalse();
        } finally {
            ISSUER.releaseKeys(held);
        }
        // the held handshake is answered (401: no such key), and the next one gets in
        await().atMost(ChatClient.TIMEOUT).until(waiting::isClosed);
        assertThat(clients.welcomedGuest(port, "sso-let-in").isClosed()).isFalse();
    }
}
