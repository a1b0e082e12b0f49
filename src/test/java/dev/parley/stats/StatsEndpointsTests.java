package dev.parley.stats;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/stats}, {@code /api/members}, Prometheus metrics and health probes over HTTP. */
@ParleyTest
class StatsEndpointsTests {
    @LocalServerPort
    int port;

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    private String prometheus() {
        return http().get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void statsAndMembersDescribeTheLiveChat() {
        try (ChatClient zoe = ChatClient.connect(port, "nickname=zoe")) {
            zoe.welcome();
            zoe.send(Map.of("type", "send", "room", "general", "text", "counted", "id", "z"));
            zoe.expect("ack");

            http().get().uri("/api/members").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$").isArray().jsonPath("$[?(@ == 'zoe')]").exists();
            http().get().uri("/api/stats").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.usersOnline").value(n -> assertThat(((Number) n).intValue()).isPositive())
                    .jsonPath("$.connections").value(n -> assertThat(((Number) n).intValue()).isPositive())
                    .jsonPath("$.node").isNotEmpty()
                    // a single node is a cluster of one
                    .jsonPath("$.cluster.nodes").isEqualTo(1)
                    .jsonPath("$.cluster.usersOnline").value(n -> assertThat(((Number) n).intValue()).isPositive())
                    .jsonPath("$.cluster.connections").value(n -> assertThat(((Number) n).intValue()).isPositive())
                    // other tests of this context may have made rooms (and talked more) meanwhile
                    .jsonPath("$.rooms").value(n -> assertThat(((Number) n).intValue()).isPositive())
                    .jsonPath("$.messagesStored").value(n -> assertThat(((Number) n).longValue()).isPositive())
                    .jsonPath("$.messagesPerSecond").isNumber()
                    .jsonPath("$.deliveriesPerSecond").isNumber()
                    .jsonPath("$.slowConsumerDisconnects").isNumber()
                    .jsonPath("$.uptimeSeconds").isNumber()
                    .jsonPath("$.topRooms[?(@.room == 'general')].messagesPerMinute")
                    .value(n -> assertThat(n.toString()).matches("\\[[1-9][0-9]*\\]"));
        }
    }

    @Test
    void prometheusExposesParleyMetersWithBoundedTags() {
        try (ChatClient yan = ChatClient.connect(port, "nickname=yan")) {
            yan.welcome();
            yan.send(Map.of("type", "send", "room", "general", "text", "metered", "id", "y"));
            yan.expect("message");

            String scrape = prometheus();

            assertThat(scrape).contains("parley_connections ", "parley_users_online ", "parley_rooms ",
                    "parley_messages_received_total", "parley_messages_stored_total",
                    "parley_messages_delivered_total", "parley_delivery_latency_seconds_bucket",
                    "parley_store_batch_size_count", "parley_store_commit_seconds_count",
                    "parley_connections_closed_total{application=\"parley\",reason=\"slow\"}",
                    "parley_frames_dropped_total{application=\"parley\",reason=\"lagging\"}");
            assertThat(scrape).as("no room or user name as a tag value").doesNotContain("\"yan\"", "\"general\"");
        }
    }

    @Test
    void aWebSocketIsNotMeteredAsAnEverlastingHttpRequest() {
        try (ChatClient una = ChatClient.connect(port, "nickname=una")) {
            una.welcome();

            String scrape = prometheus();

            assertThat(scrape).contains("http_server_requests_active");
            assertThat(scrape).as("connections have their own meters").doesNotContain("uri=\"/ws\"");
        }
    }

    @Test
    void livenessAndReadinessIncludeTheStore() {
        http().get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP").jsonPath("$.components.store.status").isEqualTo("UP")
                .jsonPath("$.components.store.details").doesNotExist();
        http().get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP").jsonPath("$.components.store.status").isEqualTo("UP")
                .jsonPath("$.components.db.status").isEqualTo("UP").jsonPath("$.components.db.details").doesNotExist();
    }

    @Test
    void anAnonymousCallerSeesEachHealthCheckStatusButNoDetails() {
        http().get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.store.status").isEqualTo("UP")
                .jsonPath("$.components.db.status").isEqualTo("UP")
                // the database's product, the disk's path and free space, the writer's queue: not for anyone who asks
                .jsonPath("$.components.store.details").doesNotExist()
                .jsonPath("$.components.db.details").doesNotExist()
                .jsonPath("$.components.diskSpace.details").doesNotExist()
                .jsonPath("$..details").isEmpty();
        assertThat(prometheus()).contains("parley_");
    }
}
