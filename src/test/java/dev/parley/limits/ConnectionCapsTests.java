package dev.parley.limits;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.FrameCodec;
import dev.parley.stats.Limit;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.TestPresence;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The caps' counting: taken and checked in one step, given back exactly once. */
class ConnectionCapsTests {
    private final ParleyMetrics metrics = new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates());
    private final ParleyProperties config = properties(Map.of(
            "parley.abuse.connections-per-user", "2",
            "parley.abuse.connections-per-address", "3",
            "parley.abuse.handshakes", "1"));
    private final ConnectionCaps caps = new ConnectionCaps(config, metrics,
            TestPresence.singleNode(new FrameCodec(config.protocolLimits()), config), SharedLimits.NONE);
    private final ChatUser alice = new ChatUser("Alice", false);
    private final ChatUser bob = new ChatUser("bob", true);

    static ParleyProperties properties(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("parley", ParleyProperties.class);
    }

    @Test
    void aUserHasAtMostItsCapOfConnections() {
        ConnectionCaps.Admission first = caps.admit(alice, "10.0.0.1");
        caps.admit(new ChatUser("ALICE", false), "10.0.0.2");
        assertThatThrownBy(() -> caps.admit(alice, "10.0.0.3")).isInstanceOf(RateLimitedException.class);
        assertThat(metrics.refusals(Limit.CONNECTIONS_PER_USER)).isEqualTo(1);

        first.close();
        first.close();
        caps.admit(alice, "10.0.0.3");
        assertThatThrownBy(() -> caps.admit(alice, "10.0.0.3")).as("closing twice gave one place back")
                .isInstanceOf(ChatException.class);
    }

    @Test
    void anAddressHasAtMostItsCapAndARefusedUserTakesNoPlaceThere() {
        caps.admit(alice, "10.0.0.9");
        caps.admit(alice, "10.0.0.9");
        assertThatThrownBy(() -> caps.admit(alice, "10.0.0.9")).isInstanceOf(RateLimitedException.class);
        caps.admit(bob, "10.0.0.9");
        assertThatThrownBy(() -> caps.admit(bob, "10.0.0.9")).isInstanceOf(RateLimitedException.class);
        assertThat(metrics.refusals(Limit.CONNECTIONS_PER_ADDRESS)).isEqualTo(1);
        // the refusal by address gave bob's place back: bob may still connect from elsewhere, twice
        caps.admit(bob, "10.0.0.10");
    }

    @Test
    void handshakesInProgressAreCapped() {
        ConnectionCaps.Admission handshake = caps.handshake();
        assertThatThrownBy(caps::handshake).isInstanceOf(RateLimitedException.class);
        handshake.close();
        caps.handshake();
        assertThat(metrics.refusals(Limit.HANDSHAKES)).isEqualTo(1);
    }
}
