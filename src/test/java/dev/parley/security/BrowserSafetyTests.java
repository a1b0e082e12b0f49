package dev.parley.security;

import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import dev.parley.support.WebPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What keeps a browser safe: only allowed origins open {@code /ws}, cookie-authenticated changes
 * need the CSRF token, pages carry security headers the frontend can live with, and nothing ever
 * answers with a Basic-auth challenge.
 */
@ParleyTest
@TestPropertySource(properties = "parley.allowed-origins=https://chat.example.com,https://*.corp.example")
class BrowserSafetyTests {
    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private WebTestClient http() {
        return Accounts.http(port);
    }

    private WebTestClient.ResponseSpec handshakeFrom(String origin) {
        WebTestClient.RequestHeadersSpec<?> request = http().get().uri("/ws?nickname=bs-" + Math.abs(origin.hashCode()))
                .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        return request.header(HttpHeaders.ORIGIN, origin).exchange();
    }

    @Test
    void aPageFromAnotherOriginCannotOpenTheWebSocket() {
        for (String origin : List.of("https://evil.example", "http://localhost:" + (port + 1), "https://localhost:" + port,
                "https://chat.example.com.evil.example", "null", "not a url")) {
            handshakeFrom(origin).expectStatus().isForbidden()
                    .expectHeader().contentType(MediaType.APPLICATION_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        }
    }

    @Test
    void anEncodedPathIsTheWebSocketForEveryCheck() {
        http().get().uri(URI.create("http://localhost:" + port + "/%77s?nickname=bs-encoded"))
                .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header(HttpHeaders.ORIGIN, "https://evil.example").exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
    }

    @Test
    void theOwnOriginAndTheAllowedOnesOpenIt() {
        int n = 0;
        for (String origin : List.of("http://localhost:" + port, "https://chat.example.com", "https://team.corp.example")) {
            ChatClient page = clients.track(ChatClient.connect(port, "nickname=bs-page-" + n++,
                    Map.of(HttpHeaders.ORIGIN, origin)));
            assertThat(page.welcome().get("guest").asBoolean()).as(origin).isTrue();
        }
        // a client that is no browser sends no Origin at all
        assertThat(clients.welcomedGuest(port, "bs-bot").isClosed()).isFalse();
    }

    @Test
    void aCookieAuthenticatedChangeNeedsTheCsrfToken() {
        String token = clients.token(port, "bs-alice");
        String body = "{\"room\":\"Csrf-1\"}";
        http().post().uri("/api/rooms").cookie("parley_session", token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
        http().post().uri("/api/rooms").cookie("parley_session", token).cookie("XSRF-TOKEN", "one")
                .header("X-XSRF-TOKEN", "another").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isForbidden();

        // the token as the app gets it: from the cookie of any API answer
        EntityExchangeResult<byte[]> me = http().get().uri("/api/auth/me").cookie("parley_session", token).exchange()
                .expectStatus().isOk().expectBody().returnResult();
        ResponseCookie csrf = me.getResponseCookies().getFirst("XSRF-TOKEN");
        assertThat(csrf).isNotNull();
        assertThat(csrf.isHttpOnly()).as("the page's script reads it").isFalse();
        assertThat(csrf.getSameSite()).isEqualTo("Strict");
        http().post().uri("/api/rooms").cookie("parley_session", token).cookie("XSRF-TOKEN", csrf.getValue())
                .header("X-XSRF-TOKEN", csrf.getValue()).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated();
    }

    @Test
    void theCsrfTokenCountsOnlyInItsHeader() {
        String token = clients.token(port, "bs-carol");
        // a same-site page that tossed the XSRF-TOKEN cookie could post this form: refused
        http().post().uri("/api/auth/logout").cookie("parley_session", token).cookie("XSRF-TOKEN", "tossed")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("_csrf=tossed").exchange()
                .expectStatus().isForbidden();
        // any Authorization but a bearer token leaves the cookie as the credential: still refused
        http().post().uri("/api/auth/logout").cookie("parley_session", token)
                .header(HttpHeaders.AUTHORIZATION, "Basic Zm9vOmJhcg==").exchange()
                .expectStatus().isForbidden();
        Accounts.http(port).get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk();
    }

    @Test
    void aBearerTokenNeedsNoCsrfTokenBecauseNoBrowserSendsItByItself() {
        String token = clients.token(port, "bs-bob");
        http().post().uri("/api/rooms").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"room\":\"Csrf-2\"}").exchange()
                .expectStatus().isCreated();
    }

    @Test
    void pagesCarrySecurityHeadersWithAPolicyWithoutInlineScript() {
        WebPage.assumeBuilt();
        EntityExchangeResult<String> page = http().get().uri("/").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult();
        HttpHeaders headers = page.getResponseHeaders();
        String policy = headers.getFirst("Content-Security-Policy");
        assertThat(policy).contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'",
                "object-src 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("DENY");
        assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("same-origin");

        // and the page lives with it: every script is a file of its own origin
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(page.getResponseBody());
        int found = 0;
        while (scripts.find()) {
            found++;
            assertThat(scripts.group(1)).contains("src=\"").doesNotContain("http:", "https:");
        }
        assertThat(found).isPositive();
        assertThat(page.getResponseBody()).doesNotContain(" onclick=", " onload=", "javascript:");
        assertThat(headers.getCacheControl()).contains("no-store");
    }

    @Test
    void thePagesHashedAssetsAreCachedForAYearAndCarryTheSameHeaders() {
        WebPage.assumeBuilt();
        String index = http().get().uri("/").exchange().expectBody(String.class).returnResult().getResponseBody();
        Matcher asset = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(index);
        assertThat(asset.find()).isTrue();
        http().get().uri(asset.group(1)).exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=31536000, public, immutable")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().exists("Content-Security-Policy");
        http().get().uri("/assets/no-such-file.js").exchange().expectStatus().isNotFound();
    }

    @Test
    void nothingEverAnswersWithABasicAuthChallenge() {
        if (WebPage.isBuilt()) {
            for (String path : List.of("/", "/index.html", "/favicon.svg")) {
                http().get().uri(path).exchange().expectStatus().isOk().expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
            }
        }
        for (String path : List.of("/actuator/health", "/api/stats", "/api/members")) {
            http().get().uri(path).exchange().expectStatus().isOk().expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
        }
        for (String path : List.of("/api/rooms", "/api/auth/me", "/ws", "/no/such/page")) {
            EntityExchangeResult<byte[]> refused = http().get().uri(path).exchange().expectBody().returnResult();
            assertThat(refused.getStatus().is4xxClientError()).as(path).isTrue();
            assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).as(path).isNull();
        }
    }
}
