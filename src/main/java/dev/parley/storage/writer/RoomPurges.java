package dev.parley.storage.writer;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;

/**
 * Deleted rooms whose messages are still being removed, oldest first: {@value #CHUNK} messages per
 * transaction, one chunk between the writer's batches, so a big deletion never stalls everyone (in one
 * transaction, rooms of about 30,000 messages held every sender for seconds). Nothing submitted later can
 * touch them: the room refuses messages from its deletion on, and its name stays taken until the purge ends.
 * Writer thread only, but for {@link #stop} and {@link #resume}.
 */
final class RoomPurges {
    private static final Logger log = LoggerFactory.getLogger(RoomPurges.class);
    /** Messages deleted per purge transaction: a few milliseconds of the writer's time. */
    static final int CHUNK = 500;
    /** Failed chunks in a row before a purge is given up (and the room's name stays taken). */
    private static final int ATTEMPTS = 3;
    private static final String DELETE = "DELETE FROM messages WHERE room = ? AND seq > ? AND seq <= ?";

    private final ArrayDeque<Purge> purges = new ArrayDeque<>();
    /** Set while stopped: a purge under way waits for a restart, or the next start of the server. */
    private volatile boolean stopped;

    /** A purge under way: messages of its room with seq in ({@code from}, {@code upTo}] are still stored. */
    private static final class Purge {
        final Pending.Write write;
        final long upTo;
        long from;
        int failures;

        Purge(Pending.Write write, long upTo) {
            this.write = write;
            this.upTo = upTo;
        }
    }

    /** Called in the deletion's own transaction: the highest seq it must purge up to. */
    static long upTo(WriterConnection connection, String room) throws SQLException {
        PreparedStatement max = connection.prepared("SELECT MAX(seq) FROM messages WHERE room = ?");
        max.setString(1, room);
        try (ResultSet rs = max.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Starts purging a room whose deletion has committed. */
    void add(Pending.Write deletion, long upTo) {
        purges.add(new Purge(deletion, upTo));
    }

    /** Whether a chunk waits to be deleted now. */
    boolean pending() {
        return !purges.isEmpty() && !stopped;
    }

    /** Deletes the next chunk of the oldest purge, in a transaction of its own; its last chunk ends the deletion. */
    void deleteChunk(WriterConnection connection) {
        Purge purge = purges.peek();
        Pending.RoomDeletion deletion = purge.write.deletion();
        long to = Math.min(purge.from + CHUNK, purge.upTo);
        boolean last = to == purge.upTo;
        try {
            PreparedStatement delete = connection.prepared(DELETE);
            delete.setString(1, deletion.room());
            delete.setLong(2, purge.from);
            // the final chunk takes anything above too: nothing may survive its room
            delete.setLong(3, last ? Long.MAX_VALUE : to);
            delete.executeUpdate();
            if (last) {
                deletion.last().run(connection.get());
            }
            connection.commit();
        } catch (SQLException | RuntimeException | Error e) {
            log.error("Could not purge the messages of deleted room '{}'", deletion.room(), e);
            connection.rollback();
            if (++purge.failures == ATTEMPTS) {
                purges.poll();
                purge.write.done().tryEmitError(new ChatException(ErrorCode.INTERNAL, "the room could not be deleted"));
            }
            return;
        }
        purge.failures = 0;
        purge.from = to;
        if (last) {
            purges.poll();
            // the name is free before anyone hears of the deletion
            purge.write.done().tryEmitEmpty();
            Handoff.run(purge.write.onCommitted());
        }
    }

    /** Stops purging, so that shutdown waits for queued writes only, not for a big room's messages. */
    void stop() {
        stopped = true;
    }

    void resume() {
        stopped = false;
    }
}
