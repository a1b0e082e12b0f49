package dev.parley.config;

import dev.parley.protocol.ProtocolLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
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
        @DefaultValue @Valid Rooms rooms,
        @DefaultValue @Valid Auth auth,
        @DefaultValue @Valid Abuse abuse,
        @DefaultValue @Valid Tcp tcp,
        @DefaultValue @Valid Cluster cluster,
        @DefaultValue @Valid Shutdown shutdown) {

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
     * @param queueMax most messages and read marks waiting for the writer; beyond it they are refused with rate_limited
     * @param readThreads threads for store reads (history, resume, unread counts)
     * @param importFrom an embedded store ({@code parley.db}) to copy into the configured database (PostgreSQL) at
     *                   startup, if that store is still empty; empty: none
     */
    public record Store(
            @DefaultValue("512") @Min(1) int batchMax,
            @DefaultValue("100000") @Min(1) int queueMax,
            @DefaultValue("4") @Min(1) int readThreads,
            @DefaultValue("") String importFrom) {
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

    /**
     * Accounts, tokens and single sign-on.
     *
     * @param registration whether {@code POST /api/auth/register} is open (off where single sign-on makes the accounts)
     * @param tokenTtl how long a login's token (and its session cookie) lasts
     * @param cookieName the session cookie
     * @param secureCookie when the session cookie is marked {@code Secure}: {@code auto} (when the request came over
     *                     TLS, also as a proxy's {@code X-Forwarded-Proto} says if forward headers are trusted),
     *                     {@code always} or {@code never}
     * @param argon2 the password hash's cost
     * @param jwt JWTs from an OIDC issuer; off unless an issuer or a JWK set URI is given
     */
    public record Auth(
            @DefaultValue("true") boolean registration,
            @DefaultValue("14d") @NotNull Duration tokenTtl,
            @DefaultValue("parley_session") @NotBlank String cookieName,
            @DefaultValue("auto") @NotNull SecureCookie secureCookie,
            @DefaultValue @Valid Argon2 argon2,
            @DefaultValue @Valid Jwt jwt) {

        public enum SecureCookie { AUTO, ALWAYS, NEVER }
    }

    /**
     * Argon2id (RFC 9106) for passwords; the defaults are OWASP's minimum (19 MiB, 2 passes, 1 lane).
     *
     * @param memoryKib memory per hash in KiB
     * @param iterations passes over the memory
     * @param parallelism lanes
     * @param threads hashes computed at once (each holds {@code memory-kib}); never on an event loop
     * @param queue hashes waiting for a thread before more logins are refused with 429
     */
    public record Argon2(
            @DefaultValue("19456") @Min(8) int memoryKib,
            @DefaultValue("2") @Min(1) int iterations,
            @DefaultValue("1") @Min(1) int parallelism,
            @DefaultValue("2") @Min(1) int threads,
            @DefaultValue("64") @Min(1) int queue) {
    }

    /**
     * Enterprise single sign-on: bearer JWTs signed by an OIDC issuer.
     *
     * @param issuerUri the issuer; its keys are found through its discovery document, and {@code iss} must match
     * @param jwkSetUri the issuer's keys directly (instead of discovery, or beside an issuer to check {@code iss})
     * @param usernameClaim the claim that names the Parley user
     * @param audience when set, a token's {@code aud} must contain it
     * @param keyRefreshInterval a token signed with an unknown key fetches the issuer's keys again at most this often
     * @param fetchTimeout longest wait for the issuer's keys (discovery and key set, connecting included); past it
     *                     the login is refused with 401, and the next one asks the issuer again
     */
    public record Jwt(
            @DefaultValue("") String issuerUri,
            @DefaultValue("") String jwkSetUri,
            @DefaultValue("preferred_username") @NotBlank String usernameClaim,
            @DefaultValue("") String audience,
            @DefaultValue("1m") @NotNull Duration keyRefreshInterval,
            @DefaultValue("5s") @NotNull @DurationMin(millis = 1) Duration fetchTimeout) {

        public boolean enabled() {
            return !issuerUri.isBlank() || !jwkSetUri.isBlank();
        }
    }

    /**
     * Abuse limits. Rates are token buckets: a burst, then a steady rate per second.
     *
     * @param framesPerSecond frames one connection may send per second, once its burst is spent
     * @param framesBurst frames one connection may send at once
     * @param messagesPerSecond messages ({@code send}, {@code dm}) one user may send per second, all connections together
     * @param messagesBurst messages one user may send at once
     * @param strikes {@code rate_limited} answers a connection may get in a burst (one more every 10 seconds)
     *                before it is closed with 1008; refusals of a pipelined burst cost none (see {@code refusalGrace})
     * @param refusalGrace how long from the first refusal of a run its refused requests are free: a burst sent before
     *                     the client could have read that refusal (and a send loop still running); {@code 0s}: every
     *                     refusal counts at once
     * @param connectionsPerUser open connections of one user
     * @param connectionsPerAddress open connections from one address
     * @param handshakes WebSocket handshakes in progress at once
     * @param roomsPerUser rooms one user may have created that still exist (conversations not counted)
     * @param roomsPerAddress rooms created from one address that still exist, whoever created them (guests are
     *                        only nicknames); rooms loaded at startup are not counted by address
     * @param authPerMinute failed sign-ins and registrations per minute from one address (a sign-in that
     *                      succeeds costs nothing: many people may sign in behind one address)
     */
    public record Abuse(
            @DefaultValue("20") @DecimalMin("0.001") double framesPerSecond,
            @DefaultValue("60") @Min(1) int framesBurst,
            @DefaultValue("5") @DecimalMin("0.001") double messagesPerSecond,
            @DefaultValue("20") @Min(1) int messagesBurst,
            @DefaultValue("10") @Min(1) int strikes,
            @DefaultValue("2s") @NotNull @DurationMin(millis = 0) Duration refusalGrace,
            @DefaultValue("20") @Min(1) int connectionsPerUser,
            @DefaultValue("500") @Min(1) int connectionsPerAddress,
            @DefaultValue("256") @Min(1) int handshakes,
            @DefaultValue("100") @Min(1) int roomsPerUser,
            @DefaultValue("200") @Min(1) int roomsPerAddress,
            @DefaultValue("20") @Min(1) int authPerMinute) {
    }

    /**
     * The console gateway: plain TCP lines.
     *
     * @param port where it listens; 0 picks a free port, -1 turns it off
     * @param lineMax bytes of one line before its newline; a longer line is dropped as it arrives and
     *                answered {@code ERROR too_large} at its newline (so is a message over the text limit
     *                within it); the connection stays either way
     * @param loginTimeout how long a new connection has to say its nick (and password)
     * @param historyWindow how far back the messages shown on joining a room go
     * @param historyMax most messages shown on joining a room
     */
    public record Tcp(
            @DefaultValue("8888") @Min(-1) @Max(65535) int port,
            @DefaultValue("64KB") @NotNull DataSize lineMax,
            @DefaultValue("30s") @NotNull Duration loginTimeout,
            @DefaultValue("10m") @NotNull Duration historyWindow,
            @DefaultValue("50") @Min(0) int historyMax) {
    }

    public ProtocolLimits protocolLimits() {
        return new ProtocolLimits(limits.textMax(), limits.idMax(), limits.historyMax(),
                limits.historyDefault(), presence.subscriptionMax());
    }

    /**
     * Stopping a node.
     *
     * @param drainTime the connections are closed with 1001 in batches spread over this long, so that the nodes
     *                  they reconnect to are not hit by all of them at one instant; within the shutdown grace
     *                  ({@code spring.lifecycle.timeout-per-shutdown-phase}, 20 s)
     */
    public record Shutdown(@DefaultValue("5s") @NotNull Duration drainTime) {
    }

    /**
     * Cluster mode: several nodes sharing one PostgreSQL and one Redis.
     *
     * @param enabled whether this node is one of several (needs {@code spring.datasource.url} and
     *                {@code spring.data.redis.url}); off: one node, nothing between nodes
     * @param nodeId this node's name in logs, metrics and {@code /api/stats}; blank: the host name and a random suffix
     * @param namespace prefix of every Redis key and channel, so several deployments (or test clusters) can share one Redis
     * @param gapWait how long a message that arrives ahead of its room's next seq waits for the ones before it,
     *                before they are read from the database
     * @param reconcileInterval how often each room followed on this node is compared with the database's last seq
     *                          (pub/sub loses what is published while a node is not subscribed)
     * @param nodeTimeout a node that has not beaten for this long is reaped: its users' connections there are gone
     */
    public record Cluster(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("") String nodeId,
            @DefaultValue("parley") @NotBlank String namespace,
            @DefaultValue("200ms") @NotNull Duration gapWait,
            @DefaultValue("2s") @NotNull @DurationMin(millis = 100) Duration reconcileInterval,
            @DefaultValue("10s") @NotNull @DurationMin(seconds = 3) Duration nodeTimeout) {
    }
}
