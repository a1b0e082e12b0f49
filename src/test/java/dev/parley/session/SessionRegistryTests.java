package dev.parley.session;

import dev.parley.identity.ChatUser;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionRegistryTests {
    private final SessionRegistry registry = new SessionRegistry();

    private static ChatSession session(String name) {
        return new ChatSession(new ChatUser(name, false), new FakeRenderer(), new FakeTransport(),
                new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates()), 1000, 500);
    }

    @Test
    void onceClosingBeganNewSessionsAreTurnedAway() {
        registry.add(session("early"));

        registry.beginClosing();

        assertThatThrownBy(() -> registry.add(session("late"))).isInstanceOf(ServerClosingException.class);
        assertThat(registry.count()).isEqualTo(1);
    }

    @Test
    void aRestartedApplicationAcceptsSessionsAgain() {
        registry.beginClosing();

        registry.reopen();

        registry.add(session("after restart"));
        assertThat(registry.count()).isEqualTo(1);
    }

    @Test
    void whenEmptyCompletesOnceTheLastSessionIsGone() {
        ChatSession only = session("only");
        registry.add(only);

        StepVerifier.create(registry.whenEmpty())
                .then(() -> registry.remove(only))
                .verifyComplete();
        StepVerifier.create(registry.whenEmpty()).expectComplete().verify(Duration.ofSeconds(1));
    }
}
