package dev.parley.session;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.presence.PresenceEvent;
import dev.parley.presence.PresenceRegistry;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.TestPresence;
import dev.parley.support.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence reaches the connections that hear it and no others: every connection while few users are
 * online, past {@code broadcast-max} only the connections that watch the user. The work is counted
 * (connections handed an event), not timed.
 */
class PresenceWatchersTests {
    private static final long CAPACITY = 1 << 20;

    private final ParleyProperties properties = TestProperties.with(Map.of("parley.presence.broadcast-max", "2"));
    private final PresenceRegistry presence =
            TestPresence.singleNode(new FrameCodec(properties.protocolLimits()), properties);
    private final SessionRegistry sessions = new SessionRegistry();
    private final ParleyMetrics metrics = new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates());
    private final PresenceWatchers watchers = new PresenceWatchers(presence, sessions, metrics);

    /** What one connection heard of presence, as "bob+" (online) and "bob-" (offline). */
    private static final class Heard implements SessionRenderer {
        private final FakeRenderer frames = new FakeRenderer();
        private final List<String> presence = new ArrayList<>();

        @Override
        public byte[] render(Delivery delivery) {
            return frames.render(delivery);
        }

        @Override
        public synchronized byte[] render(PresenceEvent event) {
            presence.add(event.userKey() + (event.online() ? "+" : "-"));
            return frames.render(event);
        }

        @Override
        public byte[] render(ServerFrame frame) {
            return frames.render(frame);
        }

        /** What it heard of one user. */
        synchronized List<String> presenceOf(String userKey) {
            return presence.stream().filter(heard -> heard.startsWith(userKey)
                    && heard.length() == userKey.length() + 1).toList();
        }
    }

    private record Connection(ChatSession session, Heard heard) {
    }

    /** Opens a connection the way ChatService does: registered, online, hearing presence, welcomed. */
    private Connection open(String name) {
        Heard heard = new Heard();
        ChatSession session = new ChatSession(new ChatUser(name, false), heard, new FakeTransport(), metrics,
                CAPACITY, CAPACITY / 2);
        sessions.add(session);
        assertThat(presence.connect(session.user())).isTrue();
        session.followPresence();
        session.open(new ServerFrame.Pong("welcome"));
        return new Connection(session, heard);
    }

    private void watch(Connection connection, String... names) {
        watchers.watch(connection.session(), Arrays.stream(names).map(Names::key).collect(Collectors.toSet()));
    }

    /** Closes a connection the way ChatService does. */
    private void close(Connection connection) {
        connection.session().dispose();
        watchers.forget(connection.session());
        sessions.remove(connection.session());
        presence.disconnect(connection.session().user());
    }

    private List<Connection> openMany(int count) {
        List<Connection> many = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            many.add(open("user" + i));
        }
        return many;
    }

    @Test
    void pastBroadcastMaxAUserComingAndGoingReachesOnlyItsWatchers() {
        List<Connection> online = openMany(100);
        watch(online.get(3), "Bob");
        watch(online.get(70), "bob", "carol");
        double before = metrics.presenceDeliveries();

        close(open("bob"));

        assertThat(metrics.presenceDeliveries() - before)
                .as("connections handed bob's online and offline: his two watchers, twice, out of 100 online")
                .isEqualTo(4);
        assertThat(online.get(3).heard().presenceOf("bob")).containsExactly("bob+", "bob-");
        assertThat(online.get(70).heard().presenceOf("bob")).containsExactly("bob+", "bob-");
        assertThat(online).filteredOn(c -> !c.heard().presenceOf("bob").isEmpty()).hasSize(2);
    }

    @Test
    void whileFewAreOnlineEveryConnectionHearsEveryone() {
        Connection ann = open("ann");
        double before = metrics.presenceDeliveries();

        close(open("bob"));

        assertThat(metrics.presenceDeliveries() - before).isEqualTo(2);
        assertThat(ann.heard().presenceOf("bob")).containsExactly("bob+", "bob-");
    }

    @Test
    void aSubscriptionReplacesTheLastOne() {
        List<Connection> online = openMany(3);
        Connection ann = online.get(0);
        watch(ann, "bob");
        watch(ann, "carol");

        close(open("bob"));
        open("carol");

        assertThat(ann.heard().presenceOf("bob")).isEmpty();
        assertThat(ann.heard().presenceOf("carol")).containsExactly("carol+");
        assertThat(watchers.watchedUsers()).isEqualTo(1);
    }

    @Test
    void aClosedConnectionWatchesNobodyAndLeavesNothingInTheIndex() {
        List<Connection> online = openMany(4);
        Connection ann = online.get(0);
        watch(ann, "bob", "carol");
        close(ann);
        // a presence_sub handled as the connection closes: it must not put the closed one back
        watch(ann, "bob", "dave");
        double before = metrics.presenceDeliveries();

        close(open("bob"));

        assertThat(metrics.presenceDeliveries() - before).isZero();
        assertThat(watchers.watchedUsers()).isZero();
    }

    @Test
    void connectionsThatWatchNobodyAddNothingToTheIndex() {
        openMany(10);

        assertThat(watchers.watchedUsers()).isZero();
    }
}
