package dev.parley.presence;

/**
 * A user's first connection opened or last one closed, encoded once.
 *
 * @param userKey the user's case-insensitive key
 * @param broadcast whether every connection gets it (few enough users online), else only watchers
 */
public record PresenceEvent(String userKey, boolean online, byte[] json, boolean broadcast) {
}
