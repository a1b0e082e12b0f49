package dev.parley.account;

import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.MovableTime;
import dev.parley.support.MutableClock;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.parley.support.Accounts.credentials;
import static org.assertj.core.api.Assertions.assertThat;

/** Registering, logging in and out, and every way a token proves who a request is, over real sockets. */
@ParleyTest
@Import(MovableTime.class)
class AccountTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger NAMES = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    DataSource dataSource;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    /** A clock the tests move, for token expiry. */
    @Test
    void theGuestCheckAnswersAsTheHandshakeWouldForThatNickname() {
        String registered = fresh("gc-reg");
        Accounts.register(port, registered);
        String online = fresh("gc-on");
        clients.welcomedGuest(port, online);

        http().get().uri("/api/auth/guest?nickname={name}", fresh("gc-free")).exchange()
                .expectStatus().isNoContent();
        for (String taken : List.of(registered, online, online.toUpperCase())) {
            http().get().uri("/api/auth/guest?nickname={name}", taken).exchange()
                    .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("name_taken");
        }
        for (String invalid : List.of("two words", "x".repeat(33), "")) {
            http().get().uri("/api/auth/guest?nickname={name}", invalid).exchange()
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("bad_request");
        }
        http().get().uri("/api/auth/guest").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("bad_request");
    }

    private static String fresh(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    private WebTestClient http() {
        return Accounts.http(port);
    }

    private EntityExchangeResult<String> post(String path, String body) {
        return http().post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectBody(String.class).returnResult();
    }

    private static JsonNode json(EntityExchangeResult<String> result) {
        return JSON.readTree(result.getResponseBody());
    }

    private JsonNode me(String header, String value, int status) {
        return JSON.readTree(http().get().uri("/api/auth/me").header(header, value).exchange()
                .expectStatus().isEqualTo(status).expectBody(String.class).returnResult().getResponseBody());
    }

    @Test
    void registeringThenLoggingInGivesATokenAndASessionCookie() {
        String name = fresh("Acc-Alice");
        EntityExchangeResult<String> registered = post("/api/auth/register", credentials(name, "correct horse"));
        assertThat(registered.getStatus().value()).isEqualTo(201);
        assertThat(json(registered).get("username").asString()).isEqualTo(name);
        assertThat(json(registered).get("guest").asBoolean()).isFalse();

        EntityExchangeResult<String> login = post("/api/auth/login", credentials(name.toLowerCase(), "correct horse"));
        assertThat(login.getStatus().value()).isEqualTo(200);
        String token = json(login).get("token").asString();
        assertThat(json(login).get("username").asString()).as("spelled as registered").isEqualTo(name);
        assertThat(token).matches("prl_[A-Za-z0-9_-]{43}");

        ResponseCookie cookie = login.getResponseCookies().getFirst("parley_session");
        assertThat(cookie).isNotNull();
        assertThat(cookie.getValue()).isEqualTo(token);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getPath()).isEqualTo("/");
        assertThat(cookie.getMaxAge()).isEqualTo(Duration.ofDays(14));
        assertThat(cookie.isSecure()).as("plain HTTP here").isFalse();

        assertThat(me(HttpHeaders.AUTHORIZATION, "Bearer " + token, 200).get("username").asString()).isEqualTo(name);
        JsonNode byCookie = me(HttpHeaders.COOKIE, "parley_session=" + token, 200);
        assertThat(byCookie.get("username").asString()).isEqualTo(name);
        assertThat(byCookie.get("guest").asBoolean()).isFalse();
        assertThat(http().get().uri("/api/auth/me").exchange().expectStatus().isUnauthorized()
                .expectBody(String.class).returnResult().getResponseBody()).contains("\"code\":\"unauthorized\"");
    }

    @Test
    void theStoreKeepsOnlyHashesOfPasswordsAndTokens() throws Exception {
        String name = fresh("acc-hashed");
        Accounts.register(port, name);
        String token = Accounts.login(port, name).get("token").asString();

        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement q = c.prepareStatement("SELECT password_hash FROM users WHERE name_key = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).startsWith("{argon2}$argon2id$").doesNotContain(Accounts.password(name));
                }
            }
            List<String> stored = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT token_hash FROM access_tokens WHERE username = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
            }
            assertThat(stored).containsExactly(AccessTokens.hash(token)).doesNotContain(token);
        }
    }

    @Test
    void wrongCredentialsGet401WithoutSayingWhichPartWasWrong() {
        String name = fresh("acc-bob");
        Accounts.register(port, name);
        EntityExchangeResult<String> wrongPassword = post("/api/auth/login", credentials(name, "not the password"));
        EntityExchangeResult<String> unknownUser = post("/api/auth/login", credentials(fresh("acc-nobody"), "whatever-pw"));
        EntityExchangeResult<String> noPassword = post("/api/auth/login", "{\"username\":\"" + name + "\"}");
        for (EntityExchangeResult<String> refused : List.of(wrongPassword, unknownUser, noPassword)) {
            assertThat(refused.getStatus().value()).isEqualTo(401);
            assertThat(refused.getResponseCookies()).doesNotContainKey("parley_session");
        }
        assertThat(wrongPassword.getResponseBody()).isEqualTo(unknownUser.getResponseBody())
                .isEqualTo("{\"code\":\"unauthorized\",\"message\":\"wrong username or password\"}");
    }

    @Test
    void registrationRefusesTakenNamesAndBadInput() {
        String name = fresh("acc-carol");
        Accounts.register(port, name);
        assertThat(json(post("/api/auth/register", credentials(name.toUpperCase(), "long enough"))).get("code")
                .asString()).as("case-insensitively taken").isEqualTo("name_taken");
        clients.welcomedGuest(port, "acc-guest-" + NAMES.incrementAndGet());
        String guest = "acc-guest-" + NAMES.get();
        assertThat(post("/api/auth/register", credentials(guest, "long enough")).getStatus().value())
                .as("a guest online has the name").isEqualTo(409);

        assertThat(post("/api/auth/register", credentials("no spaces", "long enough")).getStatus().value()).isEqualTo(400);
        assertThat(post("/api/auth/register", credentials("x".repeat(33), "long enough")).getStatus().value()).isEqualTo(400);
        assertThat(post("/api/auth/register", credentials(fresh("acc-short"), "7 chars")).getStatus().value()).isEqualTo(400);
        assertThat(post("/api/auth/register", credentials(fresh("acc-long"), "p".repeat(129))).getStatus().value())
                .isEqualTo(400);
        assertThat(post("/api/auth/register", credentials(fresh("acc-edge"), "p".repeat(128))).getStatus().value())
                .isEqualTo(201);
        assertThat(post("/api/auth/register", "{\"username\":").getStatus().value()).isEqualTo(400);
        assertThat(json(post("/api/auth/register", "[]")).get("code").asString()).isEqualTo("bad_request");
    }

    @Test
    void aGuestCannotTakeARegisteredName() {
        String name = fresh("acc-dora");
        Accounts.register(port, name);
        http().get().uri("/ws?nickname=" + name.toUpperCase())
                .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade")
                .exchange().expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("name_taken");
    }

    @Test
    void theWebSocketAcceptsTheTokenAsHeaderQueryOrCookie() {
        String name = fresh("acc-erin");
        String token = clients.token(port, name);
        List<ChatClient> connections = List.of(
                clients.track(ChatClient.connect(port, "", Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + token))),
                clients.track(ChatClient.connect(port, "access_token=" + token)),
                clients.track(ChatClient.connect(port, "", Map.of(HttpHeaders.COOKIE, "parley_session=" + token))));
        for (ChatClient connection : connections) {
            JsonNode welcome = connection.welcome();
            assertThat(welcome.get("user").asString()).isEqualTo(name);
            assertThat(welcome.get("guest").asBoolean()).isFalse();
        }
    }

    @Test
    void aBadTokenIsRefusedBeforeTheUpgradeEvenWithANickname() {
        for (String token : List.of("prl_" + "A".repeat(43), "prl_short", "garbage", "")) {
            http().get().uri("/ws?nickname=" + fresh("acc-sneaky") + "&access_token={t}", token)
                    .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade")
                    .exchange().expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        }
        http().get().uri("/api/rooms").header(HttpHeaders.AUTHORIZATION, "Bearer prl_" + "B".repeat(43))
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
    }

    @Test
    void accessTokenInTheQueryCountsOnlyForWebSockets() {
        String token = clients.token(port, fresh("acc-frank"));
        http().get().uri("/api/rooms?access_token=" + token).exchange().expectStatus().isUnauthorized();
        http().get().uri("/api/auth/me?access_token=" + token).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void logoutEndsTheTokenEverywhere() {
        String name = fresh("acc-gina");
        String token = clients.token(port, name);
        ChatClient opened = clients.track(ChatClient.connect(port, "access_token=" + token));
        opened.welcome();
        ChatClient otherLogin = clients.track(ChatClient.connect(port, "access_token=" + Accounts.token(port, name)));
        otherLogin.welcome();
        http().post().uri("/api/auth/logout").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isNoContent();

        me(HttpHeaders.AUTHORIZATION, "Bearer " + token, 401);
        http().get().uri("/ws?access_token=" + token)
                .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade")
                .exchange().expectStatus().isUnauthorized();
        assertThat(opened.closeStatus().code()).as("what the token opened ends with it").isEqualTo(1008);
        assertThat(opened.closeStatus().reasonText()).isEqualTo("logged out");
        // another login is another token, unaffected
        assertThat(otherLogin.call(Map.of("type", "ping")).get("type").asString()).isEqualTo("pong");
        String again = Accounts.login(port, name).get("token").asString();
        assertThat(me(HttpHeaders.AUTHORIZATION, "Bearer " + again, 200).get("username").asString()).isEqualTo(name);
        // ending it again, or a token that never was, is no error
        http().post().uri("/api/auth/logout").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isNoContent();
        http().post().uri("/api/auth/logout").header(HttpHeaders.AUTHORIZATION, "Bearer garbage").exchange()
                .expectStatus().isNoContent();
    }

    @Test
    void logoutByCookieNeedsTheCsrfTokenAndClearsTheCookie() {
        String name = fresh("acc-hank");
        String token = clients.token(port, name);
        http().post().uri("/api/auth/logout").cookie("parley_session", token).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
        me(HttpHeaders.AUTHORIZATION, "Bearer " + token, 200);

        EntityExchangeResult<Void> out = http().post().uri("/api/auth/logout")
                .cookie("parley_session", token).cookie("XSRF-TOKEN", "csrf-1").header("X-XSRF-TOKEN", "csrf-1")
                .exchange().expectStatus().isNoContent().expectBody().isEmpty();
        ResponseCookie cleared = out.getResponseCookies().getFirst("parley_session");
        assertThat(cleared).isNotNull();
        assertThat(cleared.getValue()).isEmpty();
        assertThat(cleared.getMaxAge()).isZero();
        me(HttpHeaders.AUTHORIZATION, "Bearer " + token, 401);
    }

    @Test
    void aStaleCookieCountsAsNoCookie() {
        String name = fresh("acc-ivy");
        String token = clients.token(port, name);
        http().post().uri("/api/auth/logout").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isNoContent();

        EntityExchangeResult<String> me = http().get().uri("/api/auth/me").cookie("parley_session", token).exchange()
                .expectStatus().isUnauthorized().expectBody(String.class).returnResult();
        assertThat(me.getResponseCookies().getFirst("parley_session").getMaxAge()).as("told to forget it").isZero();
        // a guest with the stale cookie still gets in, and logging in again works
        ChatClient guest = clients.track(ChatClient.connect(port, "nickname=" + fresh("acc-ivy-guest"),
                Map.of(HttpHeaders.COOKIE, "parley_session=" + token)));
        assertThat(guest.welcome().get("guest").asBoolean()).isTrue();
        http().post().uri("/api/auth/login").cookie("parley_session", token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(credentials(name, Accounts.password(name))).exchange().expectStatus().isOk();
    }

    @Test
    void signingInTakesOnlyJsonSoNoOtherSitesFormCanDoIt() {
        String name = fresh("acc-kim");
        Accounts.register(port, name);
        http().post().uri("/api/auth/login").contentType(MediaType.TEXT_PLAIN)
                .bodyValue(credentials(name, Accounts.password(name))).exchange()
                .expectStatus().isEqualTo(415).expectBody().jsonPath("$.code").isEqualTo("bad_request");
        http().post().uri("/api/auth/login").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("username=" + name + "&password=" + Accounts.password(name)).exchange()
                .expectStatus().isEqualTo(415);
    }

    @Test
    void tokensExpireAfterTheirLifetime() {
        String name = fresh("acc-jack");
        String token = clients.token(port, name);
        me(HttpHeaders.AUTHORIZATION, "Bearer " + token, 200);

        clock.advance(Duration.ofDays(14).minusMinutes(1));
        me(HttpHeaders.AUTHORIZATION, "Bearer " + token, 200);
        clock.advance(Duration.ofMinutes(2));
        assertThat(me(HttpHeaders.AUTHORIZATION, "Bearer " + token, 401).get("message").asString()).contains("expired");
        http().get().uri("/ws?access_token=" + token)
                .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade")
                .exchange().expectStatus().isUnauthorized();
    }
}
