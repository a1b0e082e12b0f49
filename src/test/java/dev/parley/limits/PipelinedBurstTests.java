package dev.parley.limits;

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
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An outside client at the default limits: it may pipeline a burst, read its refusals, wait as told and
 * carry on without ever being closed; one that floods on regardless after hearing is closed with 1008.
 * The limits run on a clock the test moves, so "waiting" costs no time.
 */
@ParleyTest
@Import(MovableTime.class)
@TestPropertySource(properties = {
        // the shipped defaults, in place of the test profile's generous ones
        "parley.abuse.frames-per-second=20", "parley.abuse.frames-burst=60",
        "parley.abuse.messages-per-second=5", "parley.abuse.messages-burst=20",
        "parley.abuse.strikes=10", "parley.abuse.refusal-grace=2s"})
class PipelinedBurstTests {
    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private static Map<String, Object> send(String id) {
        return Map.of("type", "send", "room", "general", "text", "bot message " + id, "id", id);
    }

    @Test
    void aClientThatPipelinesABurstAndWaitsAsToldKeepsItsConnection() {
        ChatClient bot = clients.welcomedGuest(port, "pb-bot");
        List<String> outstanding = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            outstanding.add("b" + i);
        }
        int rounds = 0;
        int refusals = 0;
        while (!outstanding.isEmpty()) {
            assertThat(++rounds).as("rounds until every message is stored").isLessThan(200);
            outstanding.forEach(id -> bot.send(send(id)));
            Map<String, JsonNode> replies = new LinkedHashMap<>();
            while (replies.size() < outstanding.size()) {
                JsonNode frame = bot.await(f -> outstanding.contains(f.path("id").asString()));
                replies.put(frame.get("id").asString(), frame);
            }
            long wait = 0;
            List<String> refused = new ArrayList<>();
            for (JsonNode reply : replies.values()) {
                if ("ack".equals(reply.get("type").asString())) {
                    continue;
                }
                assertThat(reply.get("code").asString()).isEqualTo("rate_limited");
                wait = Math.max(wait, reply.get("retryAfterMs").asLong());
                refused.add(reply.get("id").asString());
            }
            refusals += refused.size();
            outstanding.retainAll(refused);
            // as told: wait the longest wait before sending again
            clock.advance(Duration.ofMillis(wait));
        }
        assertThat(refusals).as("the burst went past the limits").isPositive();
        assertThat(bot.isClosed()).isFalse();
        assertThat(bot.call(Map.of("type", "ping")).get("type").asString()).isEqualTo("pong");
    }

    @Test
    void aClientThatFloodsOnRegardlessIsClosedWith1008() {
        ChatClient flooder = clients.welcomedGuest(port, "pb-flooder");
        // a send every 20 ms, four times the message rate, and never a pause: past the grace, refusals cost strikes
        for (int i = 0; i < 1000; i++) {
            clock.advance(Duration.ofMillis(20));
            String id = "f" + i;
            flooder.send(send(id));
            JsonNode reply;
            do {
                reply = flooder.nextOrClosed();
            } while (reply != null && !id.equals(reply.path("id").asString()));
            if (reply == null) {
                break;
            }
        }
        assertThat(flooder.closeStatus().code()).isEqualTo(1008);
    }
}
