package dev.parley.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * An OIDC issuer for tests, on a local port: a key pair made here, the discovery document at
 * {@code /.well-known/openid-configuration} and the public key set at {@code /keys}. It signs
 * JWTs, and can hold its key set back to keep a handshake that needs it in progress.
 */
public final class TestIssuer implements AutoCloseable {
    private final RSAKey key = rsaKey("issuer-key");
    private final AtomicInteger keyFetches = new AtomicInteger();
    private final AtomicReference<Sinks.Empty<Void>> keysHeld = new AtomicReference<>();
    private final DisposableServer server;

    public TestIssuer() {
        server = HttpServer.create().host("localhost").port(0)
                .route(routes -> routes
                        .get("/.well-known/openid-configuration", (request, response) -> response
                                .header(HttpHeaders.CONTENT_TYPE, "application/json")
                                .sendString(Mono.fromSupplier(() -> "{\"issuer\":\"" + uri() + "\",\"jwks_uri\":\""
                                        + jwkSetUri() + "\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}")))
                        .get("/keys", (request, response) -> {
                            keyFetches.incrementAndGet();
                            Sinks.Empty<Void> held = keysHeld.get();
                            return (held != null ? held.asMono() : Mono.<Void>empty()).then(response
                                    .header(HttpHeaders.CONTENT_TYPE, "application/json")
                                    .sendString(Mono.just(new JWKSet(key.toPublicJWK()).toString())).then());
                        }))
                .bindNow();
    }

    public String uri() {
        return "http://localhost:" + server.port();
    }

    public String jwkSetUri() {
        return uri() + "/keys";
    }

    public int keyFetches() {
        return keyFetches.get();
    }

    /** Holds the key set back until the returned sink completes. */
    public Sinks.Empty<Void> holdKeys() {
        Sinks.Empty<Void> held = Sinks.empty();
        keysHeld.set(held);
        return held;
    }

    public void releaseKeys(Sinks.Empty<Void> held) {
        keysHeld.compareAndSet(held, null);
        held.tryEmitEmpty();
    }

    /** A JWT of this issuer, valid for 5 minutes for audience {@code parley}, changed as asked. */
    public String jwt(Consumer<JWTClaimsSet.Builder> changes) {
        return sign(key, changes);
    }

    /** A JWT signed with another key, under the given key id. */
    public String jwtSignedBy(RSAKey signer, Consumer<JWTClaimsSet.Builder> changes) {
        return sign(signer, changes);
    }

    private String sign(RSAKey signer, Consumer<JWTClaimsSet.Builder> changes) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(uri()).subject("subject-1")
                .audience("parley").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
        changes.accept(claims);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(signer));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey rsaKey(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
