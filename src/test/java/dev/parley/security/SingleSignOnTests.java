package dev.parley.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.stats.Limit;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
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
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Enterprise single sign-on: JWTs from an OIDC issuer, here a key pair made by the test and an
 * issuer (discovery document and JWK set) served by the test on a local port.
 */
@ParleyTest
class SingleSignOnTests {
    private static final RSAKey KEY = rsaKey("issuer-key");
    /** Same key id, other key: a forger who knows the id but not the key. */
    private static final RSAKey FORGED = rsaKey("issuer-key");
    private static final AtomicInteger JWKS_FETCHES = new AtomicInteger();
    /** While set, the issuer holds its key set back: a handshake that needs it stays in progress. */
    private static final AtomicReference<Sinks.Empty<Void>> KEYS_HELD = new AtomicReference<>();
    private static final DisposableServer ISSUER = HttpServer.create().host("localhost").port(0)
            .route(routes -> routes
                    .get("/.well-known/openid-configuration", (request, response) -> response
                            .header(HttpHeaders.CONTENT_TYPE, "application/json")
                            .sendString(Mono.just("{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer()
                                    + "/keys\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}")))
                    .get("/keys", (request, response) -> {
                        JWKS_FETCHES.incrementAndGet();
                        Sinks.Empty<Void> held = KEYS_HELD.get();
                        return (held != null ? held.asMono() : Mono.<Void>empty()).then(response
                                .header(HttpHeaders.CONTENT_TYPE, "application/json")
                                .sendString(Mono.just(new JWKSet(KEY.toPublicJWK()).toString())).then());
                    }))
            .bindNow();

    @LocalServerPort
    int port;
    @Autowired
    ParleyMetrics metrics;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @DynamicPropertySource
    static void issuerProperties(DynamicPropertyRegistry registry) {
        registry.add("parley.auth.jwt.issuer-uri", SingleSignOnTests::issuer);
        registry.add("parley.auth.jwt.audience", () -> "parley");
        // one handshake at a time, to see the cap at work
        registry.add("parley.abuse.handshakes", () -> "1");
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.disposeNow();
    }

    private static String issuer() {
        return "http://localhost:" + ISSUER.port();
    }

    private static RSAKey rsaKey(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwt(RSAKey key, Consumer<JWTClaimsSet.Builder> changes) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).subject("subject-1")
                .audience("parley").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
        changes.accept(claims);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwtFor(String username) {
        return jwt(KEY, claims -> claims.claim("preferred_username", username));
    }

    private WebTestClient.ResponseSpec me(String token) {
        return Accounts.http(port).get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private WebTestClient.ResponseSpec handshake(String query) {
        return Accounts.http(port).get().uri("/ws?" + query)
                .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade").exchange();
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
                "expired", jwt(KEY, c -> c.claim("preferred_username", "sso-dan")
                        .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5))))),
                "other issuer", jwt(KEY, c -> c.claim("preferred_username", "sso-dan").issuer("https://other.example")),
                "other audience", jwt(KEY, c -> c.claim("preferred_username", "sso-dan").audience("not-parley")),
                "forged signature", jwt(FORGED, c -> c.claim("preferred_username", "sso-dan")),
                "no username", jwt(KEY, c -> { }),
                "not a Parley name", jwt(KEY, c -> c.claim("preferred_username", "dan the man")),
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
                    .issuer(issuer()).audience("parley").claim("preferred_username", username)
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
        Sinks.Empty<Void> held = Sinks.empty();
        KEYS_HELD.set(held);
        int fetches = JWKS_FETCHES.get();
        ChatClient waiting;
        try {
            // an unknown key id makes the server fetch the issuer's keys again: this handshake waits for them
            waiting = clients.track(ChatClient.connect(port, "access_token="
                    + jwt(rsaKey("rotated-key"), c -> c.claim("preferred_username", "sso-erin"))));
            await().atMost(ChatClient.TIMEOUT).until(() -> JWKS_FETCHES.get() > fetches);

            handshake("nickname=sso-turned-away").expectStatus().isEqualTo(429)
                    .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
            assertThat(metrics.refusals(Limit.HANDSHAKES)).isEqualTo(before + 1);
            assertThat(waiting.isClosed()).isFalse();
        } finally {
            KEYS_HELD.set(null);
            held.tryEmitEmpty();
        }
        // the held handshake is answered (401: no such key), and the next one gets in
        await().atMost(ChatClient.TIMEOUT).until(waiting::isClosed);
        assertThat(clients.welcomedGuest(port, "sso-let-in").isClosed()).isFalse();
    }
}
