package dev.parley.limits;

import dev.parley.stats.Limit;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limits over real sockets, with small limits that barely refill during a test: frames per
 * connection, messages per user, rooms per user, sign-ins per address; and 1008 for a connection
 * that keeps going after being told.
 */
@ParleyTest
@TestPropertySource(properties = {
        "parley.abuse.frames-burst=8", "parley.abuse.frames-per-second=0.001", "parley.abuse.strikes=3",
        "parley.abuse.messages-burst=3", "parley.abuse.messages-per-second=0.001",
        "parley.abuse.rooms-per-user=2", "parley.abuse.auth-per-minute=12",
        // no grace for a pipelined burst here: every refusal counts at once (PipelinedBurstTests has the grace)
        "parley.abuse.refusal-grace=0s"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AbuseLimitsTests {
    @LocalServerPort
    int port;
    @Autowired
    ParleyMetrics metrics;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @Test
    void aConnectionOverItsFrameRateIsToldThenClosedWith1008() {
        double before = metrics.refusals(Limit.FRAMES);
        ChatClient flooder = clients.welcomedGuest(port, "rl-flooder");
        for (int i = 1; i <= 8; i++) {
            assertThat(flooder.call(frame("ping")).get("type").asString()).isEqualTo("pong");
        }
        JsonNode limited = flooder.call(frame("ping"));
        assertThat(limited.get("type").asString()).isEqualTo("error");
        assertThat(limited.get("code").asString()).isEqualTo("rate_limited");
        assertThat(limited.get("id").asString()).as("the refused request's id").startsWith("call-");
        assertThat(limited.get("retryAfterMs").asLong()).as("how long until a frame would pass").isPositive();
        assertThat(flooder.isClosed()).isFalse();
        assertThat(metrics.refusals(Limit.FRAMES)).isEqualTo(before + 1);

        // it goes on regardless: garbage counts too, and after its strikes the connection is closed as abusive
        flooder.sendText("not even json");
        flooder.sendText("{\"type\":\"ping\"}");
        flooder.sendText("{\"type\":\"ping\"}");
        assertThat(flooder.closeStatus().code()).isEqualTo(1008);
        // everyone else carries on
        assertThat(clients.welcomedGuest(port, "rl-bystander").call(frame("ping")).get("type").asString())
                .isEqualTo("pong");
    }

    @Test
    void aUsersMessagesAreLimitedOverAllItsConnections() {
        double before = metrics.refusals(Limit.MESSAGES);
        ChatClient phone = clients.welcomedUser(port, "rl-talker");
        ChatClient laptop = clients.welcomedUser(port, "rl-talker");
        assertThat(phone.call(frame("send", "room", "general", "text", "one")).get("type").asString()).isEqualTo("ack");
        assertThat(laptop.call(frame("send", "room", "general", "text", "two")).get("type").asString()).isEqualTo("ack");
        assertThat(phone.call(frame("send", "room", "general", "text", "three")).get("type").asString()).isEqualTo("ack");

        JsonNode limited = laptop.call(frame("send", "room", "general", "text", "four"));
        assertThat(limited.get("code").asString()).isEqualTo("rate_limited");
        assertThat(metrics.refusals(Limit.MESSAGES)).isEqualTo(before + 1);
        // other requests go on; another user is not affected
        assertThat(laptop.call(frame("rooms")).get("type").asString()).isEqualTo("rooms");
        assertThat(clients.welcomedUser(port, "rl-quiet").call(frame("send", "room", "general", "text", "hi"))
                .get("type").asString()).isEqualTo("ack");
    }

    @Test
    void aUserCreatesOnlySoManyRooms() {
        ChatClient builder = clients.welcomedUser(port, "rl-builder");
        assertThat(builder.call(frame("create", "room", "Rl-1")).get("type").asString()).isEqualTo("ack");
        assertThat(builder.call(frame("create", "room", "Rl-2", "visibility", "private")).get("type").asString())
                .isEqualTo("ack");
        JsonNode third = builder.call(frame("create", "room", "Rl-3"));
        assertThat(third.get("code").asString()).isEqualTo("rate_limited");
        assertThat(third.get("message").asString()).contains("2 rooms");
        assertThat(metrics.refusals(Limit.ROOMS)).isPositive();
        // conversations do not count
        clients.welcomedUser(port, "rl-friend");
        assertThat(builder.call(frame("dm", "to", "rl-friend", "text", "hello")).get("type").asString()).isEqualTo("ack");
    }

    @Test
    void signInsThatSucceedCostNothingSoATeamBehindOneAddressGetsIn() {
        Accounts.register(port, "rl-colleague");
        for (int i = 0; i < 30; i++) {
            Accounts.login(port, "rl-colleague");
        }
    }

    /** Last: it spends this address's sign-ins, which the other tests need. */
    @Test
    @Order(Integer.MAX_VALUE)
    void signInsFromOneAddressAreLimited() {
        double before = metrics.refusals(Limit.AUTH_ATTEMPTS);
        int status = 0;
        for (int attempt = 0; attempt < 13 && status != 429; attempt++) {
            status = Accounts.http(port).post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Accounts.credentials("rl-guesser", "wrong password " + attempt)).exchange()
                    .returnResult(String.class).getStatus().value();
        }
        assertThat(status).isEqualTo(429);
        assertThat(metrics.refusals(Limit.AUTH_ATTEMPTS)).isEqualTo(before + 1);
        Accounts.http(port).post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Accounts.credentials("rl-late", "a fine password")).exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, seconds -> assertThat(Long.parseLong(seconds)).isPositive())
                .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
    }

    @Test
    void refusalsAreCountedByLimitForPrometheus() {
        String scrape = Accounts.http(port).get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        for (Limit limit : Limit.values()) {
            assertThat(scrape).contains("parley_limits_refused_total{application=\"parley\",limit=\"" + limit.tag() + "\"}");
        }
    }
}
