package dev.parley.web;

import dev.parley.protocol.ChatException;

import java.util.Optional;

/** The standard {@code Retry-After} header of a refusal that says how long to wait: whole seconds, rounded up. */
final class RetryAfter {
    private RetryAfter() {
    }

    static Optional<String> header(ChatException refusal) {
        Long millis = refusal.retryAfterMs();
        return millis == null ? Optional.empty() : Optional.of(Long.toString(Math.max(1, (millis + 999) / 1000)));
    }
}
