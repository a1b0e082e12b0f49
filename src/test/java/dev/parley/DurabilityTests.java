package dev.parley;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ack means the message survives a crash: a server killed with SIGKILL in the middle
 * of a stream of sends comes back with every acked message, and seq goes on without a
 * gap and without reusing a number.
 */
class DurabilityTests {
    private static final int SENT = 400;

    @TempDir
    Path dataDir;

    @Test
    void ackedMessagesSurviveKillMinusNineAndSeqGoesOnWithoutAGap() throws Exception {
        Map<Long, String> acked = new TreeMap<>();
        // one writer sends thousands at once: far beyond the default per-user rate, which is not under test here
        try (ParleyProcess first = ParleyProcess.start(dataDir, "--parley.abuse.messages-burst=100000",
                "--parley.abuse.frames-burst=100000");
             ChatClient writer = ChatClient.connect(first.port(), "nickname=writer")) {
            writer.welcome();
            for (int i = 0; i < SENT; i++) {
                writer.send(Map.of("type", "send", "room", "general", "text", "durable " + i, "id", "d" + i));
            }
            // kill while sends are still in flight: only what was acked is promised
            while (acked.size() < SENT / 2) {
                JsonNode ack = writer.expect("ack");
                acked.put(ack.get("seq").asLong(), "durable " + ack.get("id").asString().substring(1));
            }
            first.kill();
        }

        try (ParleyProcess second = ParleyProcess.start(dataDir);
             ChatClient reader = ChatClient.connect(second.port(), "nickname=reader")) {
            long seq = reader.welcome().get("rooms").get(0).get("seq").asLong();
            assertThat(seq).isGreaterThanOrEqualTo(acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow());

            List<JsonNode> log = new ArrayList<>();
            Long before = null;
            do {
                reader.send(before == null ? Map.of("type", "history", "room", "general", "limit", 200)
                        : Map.of("type", "history", "room", "general", "limit", 200, "before", before));
                List<JsonNode> page = new ArrayList<>();
                reader.expect("history").get("messages").forEach(page::add);
                log.addAll(0, page);
                before = page.isEmpty() ? null : page.get(0).get("seq").asLong();
            } while (before != null && before > 1);

            assertThat(log).extracting(m -> m.get("seq").asLong())
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, seq).boxed().toList());
            acked.forEach((s, text) -> assertThat(log.get((int) (s - 1)).get("text").asString()).isEqualTo(text));

            reader.send(Map.of("type", "send", "room", "general", "text", "after the crash", "id", "next"));
            assertThat(reader.expect("ack").get("seq").asLong()).isEqualTo(seq + 1);
        }
    }
}
