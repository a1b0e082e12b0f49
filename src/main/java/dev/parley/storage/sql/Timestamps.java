package dev.parley.storage.sql;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Times as the store keeps them (epoch milliseconds, UTC) and as the contract writes them (ISO-8601 UTC,
 * always with milliseconds).
 */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Now as a stored time: epoch milliseconds. */
    public static long nowMillis() {
        return now().toEpochMilli();
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /** A stored time in the contract's form. */
    public static String format(long epochMillis) {
        return format(Instant.ofEpochMilli(epochMillis));
    }
}
