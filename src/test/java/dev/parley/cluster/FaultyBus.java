package dev.parley.cluster;

import dev.parley.bus.BusListener;
import dev.parley.bus.PresenceChange;
import dev.parley.bus.RoomMessage;
import dev.parley.room.RoomFanOut;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Collection;
import java.util.SplittableRandom;

/**
 * A bus that loses, delays and so reorders what a node hears of rooms: a fault-injecting decorator of the seam's
 * listening side (the room fan-out), between the real bus and the node. A fifth of the messages never arrive, the
 * rest arrive up to 30 ms late, each on a timer of its own, so in any order; the node's own messages too.
 */
@TestConfiguration(proxyBeanMethods = false)
class FaultyBus {

    @Bean
    static BeanPostProcessor faultyHearing() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof RoomFanOut rooms ? new Faulty(rooms) : bean;
            }
        };
    }

    /** The decorator: every other kind of news passes as it is. */
    static final class Faulty implements BusListener {
        private final BusListener inner;
        private final SplittableRandom random = new SplittableRandom(19);

        Faulty(BusListener inner) {
            this.inner = inner;
        }

        @Override
        public void onMessage(RoomMessage message) {
            int dice;
            synchronized (random) {
                dice = random.nextInt(100);
            }
            if (dice < 20) {
                return;
            }
            Mono.delay(Duration.ofMillis(dice % 31)).subscribe(tick -> inner.onMessage(message));
        }

        @Override
        public void onPresence(PresenceChange change) {
            inner.onPresence(change);
        }

        @Override
        public void onPresenceSnapshot(Collection<PresenceChange> everyone) {
            inner.onPresenceSnapshot(everyone);
        }

        @Override
        public void onNodeGone(String node) {
            inner.onNodeGone(node);
        }

        @Override
        public void onResumed() {
            inner.onResumed();
        }

        @Override
        public void onPeerResumed() {
            inner.onPeerResumed();
        }
    }
}
