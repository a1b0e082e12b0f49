package dev.parley;

import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyApp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade from a build with the H2 store: its users, rooms, memberships, read marks and messages are there
 * after the first start on SQLite, and the H2 file is imported once.
 */
class LegacyStoreImportTests {
    private static final OffsetDateTime WRITTEN = OffsetDateTime.parse("2026-11-20T08:09:10.123Z");

    @TempDir
    Path dataDir;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @BeforeAll
    static void onTheEmbeddedStore() {
        // the H2 import brings an old embedded store into the embedded store: nothing to test on PostgreSQL
        Assumptions.assumeFalse("postgres".equals(System.getProperty("parley.test.database")), "SQLite only");
    }

    @Test
    void theH2StoreOfAnEarlierBuildIsImportedOnceAtTheFirstStart() throws Exception {
        writeLegacyStore();

        try (ParleyApp app = ParleyApp.start(dataDir, new Class<?>[0])) {
            ChatClient ann = clients.user(app.port(), "li-ann");
            Map<String, JsonNode> rooms = new HashMap<>();
            ann.welcome().get("rooms").forEach(room -> rooms.put(room.get("room").asString(), room));
            assertThat(rooms).containsKeys("general", "li-club");
            assertThat(rooms.get("li-club").get("visibility").asString()).isEqualTo("private");
            assertThat(rooms.get("li-club").get("seq").asLong()).isEqualTo(3);
            assertThat(rooms.get("li-club").get("unread").asLong()).as("read up to 1, then two of bo's").isEqualTo(2);

            ann.send(Map.of("type", "history", "room", "li-club", "limit", 10, "id", "h"));
            JsonNode page = ann.expect("history");
            assertThat(page.get("messages").valueStream().map(m -> m.get("text").asString()))
                    .containsExactly("one", "two", "three");
            assertThat(page.get("messages").get(0).get("ts").asString()).isEqualTo("2026-11-20T08:09:10.123Z");

            JsonNode ack = ann.call(Map.of("type", "send", "room", "li-club", "text", "after the upgrade", "id", "s"));
            assertThat(ack.get("seq").asLong()).as("seqs go on from the imported log").isEqualTo(4);
        }
        assertThat(dataDir.resolve("parley.mv.db")).doesNotExist();
        assertThat(dataDir.resolve("parley.mv.db.imported")).exists();

        // a second start finds nothing to import and keeps everything, the new message too
        try (ParleyApp again = ParleyApp.start(dataDir, new Class<?>[0])) {
            ChatClient ann = clients.user(again.port(), "li-ann");
            assertThat(ann.welcome().get("rooms").valueStream()
                    .filter(room -> room.get("room").asString().equals("li-club"))
                    .map(room -> room.get("seq").asLong())).containsExactly(4L);
        }
    }

    /** An H2 store as the last H2 build left it: its schema (migrations 1 to 3) and a few rows. */
    private void writeLegacyStore() throws Exception {
        String hash = "{argon2}" + Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode(Accounts.password("li-ann"));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("parley"), "sa", "");
             Statement ddl = c.createStatement()) {
            ddl.execute("RUNSCRIPT FROM 'classpath:/legacy/h2-schema-v3.sql'");
            insert(c, "INSERT INTO users (name_key, name, created_at, password_hash) VALUES (?, ?, ?, ?)",
                    "li-ann", "li-ann", WRITTEN, hash);
            insert(c, "INSERT INTO users (name_key, name, created_at, password_hash) VALUES (?, ?, ?, ?)",
                    "li-bo", "li-bo", WRITTEN, null);
            insert(c, "INSERT INTO rooms (name_key, name, visibility, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                    "li-club", "li-club", "private", WRITTEN, "li-ann");
            for (String member : new String[] {"li-ann", "li-bo"}) {
                insert(c, "INSERT INTO memberships (room, username, joined_at) VALUES (?, ?, ?)", "li-club", member, WRITTEN);
            }
            insert(c, "INSERT INTO read_marks (room, username, seq) VALUES (?, ?, ?)", "li-club", "li-ann", 1L);
            String[] texts = {"one", "two", "three"};
            for (int i = 0; i < texts.length; i++) {
                insert(c, "INSERT INTO messages (room, seq, sender, body, created_at) VALUES (?, ?, ?, ?, ?)",
                        "li-club", i + 1L, i == 0 ? "li-ann" : "li-bo", texts[i], WRITTEN.plusSeconds(i));
            }
        }
        assertThat(Files.exists(dataDir.resolve("parley.mv.db"))).isTrue();
    }

    private static void insert(Connection c, String sql, Object... values) throws Exception {
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 1, values[i]);
            }
            insert.executeUpdate();
        }
    }
}
