package dev.parley.websocket;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code resume} merges the stored replay with live traffic that keeps flowing: no gap, nothing twice. */
@ParleyTest
class ResumeTests {
    private static final int BEFORE = 300;
    private static final int DURING = 300;

    @LocalServerPort
    int port;

    @Test
    void resumeWhileMessagesKeepArrivingLosesNothingAndRepeatsNothing() {
        try (ChatClient publisher = ChatClient.connect(port, "nickname=talker")) {
            publisher.welcome();
            long from = 0;
            for (int i = 0; i < BEFORE; i++) {
                publisher.send(Map.of("type", "send", "room", "general", "text", "before " + i, "id", "b" + i));
                long seq = publisher.expect("ack").get("seq").asLong();
                from = i == 0 ? seq - 1 : from;
            }

            // comes back after missing them all, and resumes while the talk goes on
            ChatClient returning = ChatClient.connect(port, "nickname=returning");
            long welcomeSeq = returning.welcome().get("rooms").get(0).get("seq").asLong();
            assertThat(welcomeSeq).isEqualTo(from + BEFORE);
            for (int i = 0; i < DURING; i++) {
                publisher.send(Map.of("type", "send", "room", "general", "text", "during " + i));
                if (i == DURING / 3) {
                    returning.send(Map.of("type", "resume", "after", Map.of("general", from), "id", "r"));
                }
            }

            long last = welcomeSeq + DURING;
            List<Long> seen = new ArrayList<>();
            boolean resumed = false;
            while (!resumed || !seen.contains(last)) {
                JsonNode frame = returning.next();
                switch (frame.path("type").asString()) {
                    case "message" -> seen.add(frame.get("seq").asLong());
                    case "resumed" -> resumed = true;
                    default -> {
                    }
                }
            }
            assertThat(seen).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(from + 1, last).boxed().toList());
            returning.close();
        }
    }
}
