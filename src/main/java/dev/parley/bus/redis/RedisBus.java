package dev.parley.bus.redis;

import dev.parley.bus.Bus;
import dev.parley.bus.BusListener;
import dev.parley.bus.PresenceChange;
import dev.parley.bus.RoomChange;
import dev.parley.bus.RoomMessage;
import dev.parley.stats.ParleyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * The bus between nodes: a message is heard by this node at once and published on its room's Redis channel for
 * the others, who hear every channel through one pattern subscription; presence changes likewise on the cluster
 * channel, and into this node's share in Redis ({@link ClusterRoster}), from which a node starting, or coming back
 * after an outage, learns who is online. Each check round the node also beats and reaps the nodes that stopped.
 * <p>
 * Pub/sub keeps nothing: what is published while a node is unsubscribed is lost to it. So this bus checks its own
 * subscription every {@code checkInterval} by publishing a ping it must hear itself; a ping that cannot be published
 * (Redis away) or is not heard back (a subscription that died without a word, as happens after a reconnect) renews
 * the subscription, and when the bus works again the listener is told to catch up from the store.
 */
public final class RedisBus implements Bus, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);
    /** Check rounds without hearing our own ping before the subscription is renewed. */
    private static final int SILENT_ROUNDS = 3;
    /** Check rounds between two presence snapshots: a change lost on the way is put right by the next one. */
    private static final int SNAPSHOT_ROUNDS = 15;

    private final RedisCommands redis;
    private final ReactiveRedisMessageListenerContainer container;
    private final BusListener listener;
    private final String node;
    private final String prefix;
    private final Duration checkInterval;
    private final ClusterRoster roster;
    private final ParleyMetrics metrics;
    private long rounds;
    private volatile Disposable subscription;
    private volatile Disposable checks;
    /** Check rounds since our own ping was last heard. */
    private volatile int silentRounds;
    /** Set while Redis is away or our subscription is being renewed: what is published meanwhile may be lost. */
    private volatile boolean away;

    RedisBus(RedisCommands redis, ReactiveRedisMessageListenerContainer container,
                    BusListener listener, String node, String namespace, Duration checkInterval,
                    Duration nodeTimeout, ParleyMetrics metrics) {
        this.metrics = metrics;
        this.redis = redis;
        this.container = container;
        this.listener = listener;
        this.node = node;
        this.prefix = namespace + ":bus:";
        this.checkInterval = checkInterval;
        this.roster = new ClusterRoster(this.redis, namespace, node, nodeTimeout);
        BusEnvelope.warmUp();
    }

    @Override
    public void publish(RoomMessage message) {
        listener.onMessage(message);
        metrics.busPublished();
        // by room and creation, not name alone: a room of a name used again is a channel of its own
        redis.publish(prefix + "room:" + message.room() + ':' + message.roomCreatedAt(), BusEnvelope.of(node, message))
                // lost to the others: they find it in the store at their next reconciliation
                .subscribe(receivers -> { }, failure -> away = true);
    }

    @Override
    public void publish(PresenceChange change) {
        listener.onPresence(change);
        // in order: one connection carries both, and this is called in the order of the user's changes
        roster.write(change).subscribe(done -> { }, failure -> away = true);
        redis.publish(prefix + "cluster", node + '\n' + PresenceLines.line(change))
                .subscribe(receivers -> { }, failure -> away = true);
    }

    @Override
    public void publish(RoomChange change) {
        // one connection in call order: the others hear a room's changes in the order they were made
        redis.publish(prefix + "cluster", node + '\n' + RoomChangeLines.line(change))
                .subscribe(receivers -> { }, failure -> away = true);
    }

    @Override
    public void registered(String userKey, String name, boolean local) {
        listener.onRegistered(userKey, name, local);
        redis.publish(prefix + "cluster", node + "\nregistered\t" + userKey + '\t' + name + '\t' + local)
                .subscribe(receivers -> { }, failure -> away = true);
    }

    @Override
    public void loggedOut(String tokenId) {
        listener.onLoggedOut(tokenId);
        redis.publish(prefix + "cluster", node + "\nlogout\t" + tokenId).subscribe(receivers -> { }, failure -> away = true);
    }

    @Override
    public void start() {
        subscribe();
        // beats once before anyone can connect: a node that dies in its first second must be reapable
        beat().timeout(checkInterval.multipliedBy(SILENT_ROUNDS)).onErrorResume(failure -> {
            away = true;
            return Mono.empty();
        }).block();
        // a node joining learns who is online already; Redis away at start counts as an outage, caught up later
        roster.snapshotTo(listener).subscribe(done -> { }, failure -> away = true);
        // a round that hangs (a command Redis never answers) is given up, so the next rounds still beat and check
        checks = Flux.interval(checkInterval).onBackpressureDrop()
                .concatMap(tick -> check().timeout(checkInterval.multipliedBy(SILENT_ROUNDS))
                        .onErrorResume(failure -> {
                            away = true;
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    private void subscribe() {
        subscription = container.receive(PatternTopic.of(prefix + "*"))
                .subscribe(this::heard, failure -> {
                    log.warn("The bus subscription ended: {}", failure.toString());
                    away = true;
                });
    }

    private void heard(ReactiveSubscription.Message<String, String> heard) {
        String channel = heard.getChannel();
        String body = heard.getMessage();
        String from = BusEnvelope.node(body);
        if (channel.endsWith(":ping")) {
            if (from.equals(node)) {
                silentRounds = 0;
            }
            return;
        }
        if (channel.equals(prefix + "cluster")) {
            if (!from.equals(node)) {
                heardOnCluster(from, body.substring(body.indexOf('\n') + 1));
            }
            return;
        }
        if (from.equals(node) || !channel.startsWith(prefix + "room:")) {
            // our own: heard already, when published
            return;
        }
        try {
            metrics.busHeard();
            listener.onMessage(BusEnvelope.message(body));
        } catch (RuntimeException e) {
            log.warn("Could not read a message from the bus on {}", channel, e);
        }
    }

    private void heardOnCluster(String from, String line) {
        try {
            if (line.startsWith(RoomChangeLines.PREFIX)) {
                listener.onRoomChange(RoomChangeLines.parse(line));
            } else if (line.startsWith("presence\t")) {
                listener.onPresence(PresenceLines.parse(from, line));
            } else if (line.startsWith("registered\t")) {
                String[] fields = line.split("\t", 4);
                listener.onRegistered(fields[1], fields[2], Boolean.parseBoolean(fields[3]));
            } else if (line.startsWith("logout\t")) {
                listener.onLoggedOut(line.substring("logout\t".length()));
            } else if (line.equals("resumed")) {
                listener.onPeerResumed();
            } else if (line.startsWith("gone\t")) {
                listener.onNodeGone(line.substring("gone\t".length()));
            }
        } catch (RuntimeException e) {
            log.warn("Could not read {} from node {}", line, from, e);
        }
    }

    /** Beats, reaps the nodes that stopped, and now and then hands the listener the whole presence truth. */
    private Mono<Void> beat() {
        Mono<Void> snapshot = ++rounds % SNAPSHOT_ROUNDS == 0 ? roster.snapshotTo(listener) : Mono.empty();
        return roster.beat(listener::onResumed)
                .concatMap(dead -> {
                    metrics.nodeReaped();
                    listener.onNodeGone(dead);
                    return redis.publish(prefix + "cluster", node + "\ngone\t" + dead);
                })
                .then(roster.live().doOnNext(listener::onLiveNodes).then())
                .then(snapshot)
                .onErrorResume(failure -> {
                    log.debug("The cluster beat failed", failure);
                    return Mono.empty();
                });
    }

    /** Pings ourselves: renews a subscription that went silent, and tells the listener when the bus is back. */
    private Mono<Void> check() {
        if (++silentRounds > SILENT_ROUNDS) {
            log.warn("The bus subscription heard nothing for {} rounds; renewing it", SILENT_ROUNDS);
            away = true;
            // not 0: the bus is back only once our own ping comes through the new subscription
            silentRounds = 1;
            Disposable dead = subscription;
            if (dead != null) {
                dead.dispose();
            }
            subscribe();
        }
        return redis.publish(prefix + "ping", node)
                .flatMap(receivers -> {
                    if (away && silentRounds == 0) {
                        away = false;
                        log.info("The bus is back; catching up from the store");
                        listener.onResumed();
                        // what this node published meanwhile was lost to the others, who may have noticed nothing
                        return redis.publish(prefix + "cluster", node + "\nresumed").then(roster.snapshotTo(listener));
                    }
                    return Mono.empty();
                })
                .onErrorResume(failure -> {
                    away = true;
                    return Mono.empty();
                })
                .then(Mono.defer(this::beat));
    }

    /** Whether messages may be lost between nodes right now (Redis away, or the subscription being renewed). */
    public boolean away() {
        return away;
    }

    @Override
    public void stop() {
        // a graceful stop: the others hear at once that this node's users are gone from it, without a reaper
        roster.forget(node).then(redis.publish(prefix + "cluster", node + "\ngone\t" + node))
                .timeout(Duration.ofSeconds(2)).onErrorResume(failure -> Mono.empty()).block();
        Disposable running = checks;
        if (running != null) {
            running.dispose();
        }
        Disposable subscribed = subscription;
        if (subscribed != null) {
            subscribed.dispose();
        }
        checks = null;
    }

    @Override
    public boolean isRunning() {
        return checks != null;
    }

    /**
     * Starts before the web server (lower phases start first), so the node has beaten before anyone connects,
     * and stops after it, so the connections' last changes still go out.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
