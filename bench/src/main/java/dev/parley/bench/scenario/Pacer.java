package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadConnection;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends at a fixed rate, open loop: the n-th message is due at {@code start + n / rate}, and its text
 * starts with that intended time, so a server that falls behind shows up as latency instead of slowing
 * the generator down (no coordinated omission). Publisher {@code n % publishers} sends into room
 * {@code rooms.get(n % rooms)}.
 */
public final class Pacer {

    static final int TEXT_LENGTH = 100;
    private static final String PADDING = "x".repeat(TEXT_LENGTH);

    private final EventLoop loop;
    private final List<LoadConnection> publishers;
    private final List<String> rooms;
    private final double ratePerSecond;
    private ScheduledFuture<?> ticker;
    private long startNanos;
    private long sent;

    public Pacer(EventLoop loop, List<LoadConnection> publishers, List<String> rooms, double ratePerSecond) {
        this.loop = loop;
        this.publishers = publishers;
        this.rooms = rooms;
        this.ratePerSecond = ratePerSecond;
    }

    public void start() {
        loop.execute(() -> {
            startNanos = System.nanoTime();
            ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
        });
    }

    private void tick() {
        long now = System.nanoTime();
        // message n is due at start + n / rate: by now, messages 0 .. floor(elapsed * rate) are due
        long due = (long) ((now - startNanos) * ratePerSecond / 1e9) + 1;
        while (sent < due) {
            long intended = startNanos + (long) (sent * 1e9 / ratePerSecond);
            int index = (int) (sent % publishers.size());
            LoadConnection publisher = publishers.get(index);
            if (publisher.channel().isActive()) {
                publisher.send(sendFrame(rooms.get(index % rooms.size()), intended, null));
            }
            sent++;
        }
    }

    public void stop() {
        loop.submit(() -> ticker.cancel(false)).syncUninterruptibly();
    }

    /** A {@code send} frame whose text (and id, if asked) starts with {@code nanos}. */
    public static String sendFrame(String room, long nanos, String id) {
        String stamp = Long.toString(nanos);
        String text = stamp + ' ' + PADDING.substring(stamp.length() + 1);
        return "{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"" + text + "\""
                + (id == null ? "" : ",\"id\":\"" + id + "\"") + "}";
    }
}
