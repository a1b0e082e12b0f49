package dev.parley.config;

import dev.parley.protocol.ProtocolLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Every Parley setting, under {@code parley.*}, with the contract's defaults.
 *
 * @param dataDir where the embedded store keeps its files (relative to the working directory)
 * @param allowedOrigins extra browser origins allowed to open {@code /ws}
 */
@Validated
@ConfigurationProperties("parley")
public record ParleyProperties(
        @DefaultValue("./data") @NotBlank String dataDir,
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue @Valid Guests guests,
        @DefaultValue @Valid Limits limits,
        @DefaultValue @Valid Outbound outbound,
        @DefaultValue @Valid Ws ws,
        @DefaultValue @Valid Resume resume,
        @DefaultValue @Valid Presence presence,
        @DefaultValue @Valid Store store,
        @DefaultValue @Valid Rooms rooms) {

    /** @param enabled whether nickname-only guests may connect */
    public record Guests(@DefaultValue("true") boolean enabled) {
    }

    /**
     * Limits on client input.
     *
     * @param textMax characters (code points) in a message after trimming
     * @param frameMax bytes in one WebSocket frame; a larger one closes with 1009
     * @param idMax characters in a client {@code id}
     * @param historyMax largest history {@code limit}
     * @param historyDefault history {@code limit} when none is given
     */
    public record Limits(
            @DefaultValue("4000") @Min(1) int textMax,
            @DefaultValue("64KB") @NotNull DataSize frameMax,
            @DefaultValue("64") @Min(1) int idMax,
            @DefaultValue("200") @Min(1) int historyMax,
            @DefaultValue("50") @Min(1) int historyDefault) {
    }

    /**
     * The per-connection outbound buffer and slow-consumer policy.
     *
     * @param bufferSize bytes queued for one connection before it is cut off with 4000
     * @param ephemeralLimit typing and presence frames are dropped while more than this is queued
     * @param closeTimeout how long a cut-off connection gets to take its close frame before the socket is dropped
     * @param maxInFlight requests of one connection processed at once; beyond it the connection is not read
     */
    public record Outbound(
            @DefaultValue("1MB") @NotNull DataSize bufferSize,
            @DefaultValue("64KB") @NotNull DataSize ephemeralLimit,
            @DefaultValue("5s") @NotNull Duration closeTimeout,
            @DefaultValue("64") @Min(1) @Max(1024) int maxInFlight) {
    }

    /**
     * WebSocket keep-alive.
     *
     * @param pingInterval how often the server sends a WebSocket ping
     * @param idleTimeout a connection silent this long is closed
     */
    public record Ws(
            @DefaultValue("20s") @NotNull Duration pingInterval,
            @DefaultValue("60s") @NotNull Duration idleTimeout) {
    }

    /** @param max most messages replayed per room by {@code resume} */
    public record Resume(@DefaultValue("1000") @Min(1) int max) {
    }

    /**
     * @param broadcastMax most online users for which presence is pushed to everyone
     * @param subscriptionMax most names in one {@code presence_sub}
     */
    public record Presence(
            @DefaultValue("1000") @Min(0) int broadcastMax,
            @DefaultValue("500") @Min(1) int subscriptionMax) {
    }

    /**
     * The durable message log.
     *
     * @param batchMax most messages committed in one transaction (group commit)
     * @param queueMax most messages waiting for the writer; beyond it sends are refused with rate_limited
     * @param readThreads threads for store reads (history, resume, unread counts)
     */
    public record Store(
            @DefaultValue("512") @Min(1) int batchMax,
            @DefaultValue("100000") @Min(1) int queueMax,
            @DefaultValue("4") @Min(1) int readThreads) {
    }

    /**
     * Rooms and private conversations.
     *
     * @param emptyGrace how long a room whose last member left lives before it is deleted
     * @param conversationMax most people in one private conversation ({@code @a+b+c...})
     */
    public record Rooms(
            @DefaultValue("15s") @NotNull Duration emptyGrace,
            @DefaultValue("10") @Min(2) int conversationMax) {
    }

    public ProtocolLimits protocolLimits() {
        return new ProtocolLimits(limits.textMax(), limits.idMax(), limits.historyMax(),
                limits.historyDefault(), presence.subscriptionMax());
    }
}
