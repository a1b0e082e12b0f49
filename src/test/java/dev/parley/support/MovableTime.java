package dev.parley.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Instant;

/** The application's clock as a {@link MutableClock} the test moves: {@code @Import(MovableTime.class)}. */
@TestConfiguration
public class MovableTime {
    @Bean
    @Primary
    MutableClock movableClock() {
        return new MutableClock(Instant.now());
    }
}
