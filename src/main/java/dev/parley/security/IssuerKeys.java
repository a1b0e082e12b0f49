package dev.parley.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.netty.channel.ChannelOption;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import java.text.ParseException;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The issuer's signing keys, fetched (reactively) from its JWK set, found directly or through its
 * discovery document, and kept. A fetch (discovery and key set, connecting included) that takes longer
 * than {@code fetchTimeout} fails, and a failed fetch is never kept: the next token tries again. A token signed with a key not in the set makes it fetch the set
 * again, for key rotation, but at most once per {@code refreshInterval}: tokens with made-up key ids
 * must not turn Parley into a tool for flooding the identity provider.
 */
final class IssuerKeys {
    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
    };

    private final WebClient http;
    private final String issuerUri;
    private final String jwkSetUri;
    private final long refreshIntervalNanos;
    private final Duration fetchTimeout;
    private final LongSupplier nanoClock;
    private volatile JWKSet keys;
    private Mono<JWKSet> fetching;
    private long fetchedAt;

    IssuerKeys(String issuerUri, String jwkSetUri, Duration refreshInterval, Duration fetchTimeout, LongSupplier nanoClock) {
        this.issuerUri = issuerUri;
        this.jwkSetUri = jwkSetUri;
        this.refreshIntervalNanos = refreshInterval.toNanos();
        this.fetchTimeout = fetchTimeout;
        this.nanoClock = nanoClock;
        // each request gives up on its own too, so no connection is left waiting on a silent issuer
        this.http = WebClient.builder().clientConnector(new ReactorClientHttpConnector(HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(fetchTimeout.toMillis(), Integer.MAX_VALUE))
                .responseTimeout(fetchTimeout))).build();
    }

    /** The keys that may have signed this token. */
    Flux<JWK> keysFor(SignedJWT jwt) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()));
        JWKSet known = keys;
        if (known != null && !selector.select(known).isEmpty()) {
            return Flux.fromIterable(selector.select(known));
        }
        return current(known).flatMapIterable(selector::select);
    }

    /** The set, fetched again unless that happened within the refresh interval; one fetch at a time. */
    private synchronized Mono<JWKSet> current(JWKSet known) {
        long now = nanoClock.getAsLong();
        if (fetching != null && (known == null || now - fetchedAt < refreshIntervalNanos)) {
            return fetching;
        }
        fetchedAt = now;
        fetching = fetch()
                // a silent issuer must not hold this login, nor (through the cache) every later one
                .timeout(fetchTimeout, Mono.error(() -> new IllegalStateException(
                        "the issuer's keys did not come within " + fetchTimeout.toMillis() + " ms")))
                .doOnNext(set -> keys = set)
                // a failed fetch is not kept: the next token tries again (still within the interval)
                .doOnError(e -> forget())
                .cache();
        return fetching;
    }

    private synchronized void forget() {
        fetching = keys == null ? null : Mono.just(keys);
    }

    private Mono<JWKSet> fetch() {
        return jwkSetUri()
                .flatMap(uri -> http.get().uri(uri).retrieve().bodyToMono(String.class))
                .map(body -> {
                    try {
                        return JWKSet.parse(body);
                    } catch (ParseException e) {
                        throw new IllegalStateException("the issuer's key set is not a JWK set", e);
                    }
                });
    }

    private Mono<String> jwkSetUri() {
        if (!jwkSetUri.isBlank()) {
            return Mono.just(jwkSetUri);
        }
        String discovery = issuerUri.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        return http.get().uri(discovery).retrieve().bodyToMono(JSON_OBJECT).map(configuration -> {
            if (!issuerUri.equals(configuration.get("issuer"))) {
                throw new IllegalStateException("the discovery document names another issuer: " + configuration.get("issuer"));
            }
            Object uri = configuration.get("jwks_uri");
            if (!(uri instanceof String found)) {
                throw new IllegalStateException("the discovery document has no jwks_uri");
            }
            return found;
        });
    }
}
