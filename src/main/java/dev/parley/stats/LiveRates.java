package dev.parley.stats;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Recent rates for {@code /api/stats}: messages and deliveries per second, busiest rooms per minute. */
@Component
public class LiveRates {
    /** Rates are averaged over this many whole seconds. */
    static final int RATE_SECONDS = 5;

    private final Clock clock;
    private final SecondWindow messages = new SecondWindow();
    private final SecondWindow deliveries = new SecondWindow();
    private final Map<String, SecondWindow> rooms = new ConcurrentHashMap<>();
    private final LongAdder slowDisconnects = new LongAdder();

    @Autowired
    public LiveRates() {
        this(Clock.systemUTC());
    }

    LiveRates(Clock clock) {
        this.clock = clock;
    }

    /** @param room the room to rank it under in {@link #topRooms}, or null for a room never listed by name */
    public void messageStored(String room) {
        long now = nowSecond();
        messages.record(now, 1);
        if (room != null) {
            rooms.computeIfAbsent(room, r -> new SecondWindow()).record(now, 1);
        }
    }

    void delivered() {
        deliveries.record(nowSecond(), 1);
    }

    void slowConsumerDisconnected() {
        slowDisconnects.increment();
    }

    public double messagesPerSecond() {
        return messages.sum(nowSecond(), RATE_SECONDS) / (double) RATE_SECONDS;
    }

    public double deliveriesPerSecond() {
        return deliveries.sum(nowSecond(), RATE_SECONDS) / (double) RATE_SECONDS;
    }

    public long slowConsumerDisconnects() {
        return slowDisconnects.sum();
    }

    /** The busiest rooms of the last minute; rooms quiet for a minute are forgotten. */
    public List<RoomRate> topRooms(int limit) {
        long now = nowSecond();
        rooms.entrySet().removeIf(e -> e.getValue().idle(now));
        return rooms.entrySet().stream()
                .map(e -> new RoomRate(e.getKey(), e.getValue().sum(now + 1, 60)))
                .filter(r -> r.messagesPerMinute() > 0)
                .sorted(Comparator.comparingLong(RoomRate::messagesPerMinute).reversed()
                        .thenComparing(RoomRate::room))
                .limit(limit)
                .toList();
    }

    private long nowSecond() {
        return clock.millis() / 1000;
    }

    public record RoomRate(String room, long messagesPerMinute) {
    }
}
