package dev.parley.websocket;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.HandshakeInfo;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.security.Principal;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class LeanHandshakeUpgradeStrategyTests {

    @Test
    void theSessionKeepsTheUriAndPrincipalButNoHeaders() {
        AtomicReference<HandshakeInfo> seen = new AtomicReference<>();
        LeanHandshakeUpgradeStrategy strategy = new LeanHandshakeUpgradeStrategy(
                (exchange, handler, protocol, info) -> {
                    seen.set(info.get());
                    return Mono.empty();
                });
        HttpHeaders headers = new HttpHeaders();
        headers.add("Cookie", "a=b");
        headers.add("User-Agent", "test");
        Principal principal = () -> "ann";
        URI uri = URI.create("ws://localhost/ws?nickname=ann");

        strategy.upgrade(null, null, null, () -> new HandshakeInfo(uri, headers, Mono.just(principal), null)).block();

        assertThat(seen.get().getUri()).isEqualTo(uri);
        assertThat(seen.get().getPrincipal().block()).isSameAs(principal);
        assertThat(seen.get().getHeaders().isEmpty()).isTrue();
    }
}
