package dev.parley.bench.cluster;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client that behaves as the contract asks of one in a cluster: it remembers every {@code seq} of
 * {@code general} it has, and when its connection ends it connects to the next node that answers and sends
 * {@code resume} from the last seq it has without a gap. It counts what a user would notice: messages never
 * received, received twice, or live ones out of order. Few of these run at a time, so plain JSON scanning
 * on the JDK's WebSocket client is enough.
 */
final class ResumingClient implements WebSocket.Listener {

    private static final Pattern TYPE = Pattern.compile("\"type\":\"(\\w+)\"");
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private final String token;
    private final List<InetSocketAddress> nodes;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final LongConsumer onAck;
    private final StringBuilder partial = new StringBuilder();
    private final BitSet seen = new BitSet();
    private final CompletableFuture<Void> firstWelcome = new CompletableFuture<>();
    private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);
    private volatile WebSocket socket;
    private volatile boolean running = true;
    private int node;
    private long firstWelcomeSeq = -1;
    private long lastLive;
    private long duplicates;
    private long outOfOrder;
    private int reconnects;

    ResumingClient(String token, List<InetSocketAddress> nodes, int firstNode, HttpClient http,
                   ScheduledExecutorService timer, LongConsumer onAck) {
        this.token = token;
        this.nodes = nodes;
        this.node = firstNode;
        this.http = http;
        this.timer = timer;
        this.onAck = onAck;
    }

    /** Connects to its first node; completes at the first welcome. */
    CompletableFuture<Void> start() {
        connect();
        return firstWelcome;
    }

    private void connect() {
        InetSocketAddress to;
        synchronized (this) {
            to = nodes.get(node % nodes.size());
        }
        URI uri = URI.create("ws://" + to.getHostString() + ":" + to.getPort() + "/ws?access_token=" + token);
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, this)
                .whenComplete((ws, failure) -> {
                    if (failure != null) {
                        reconnectLater();
                    }
                });
    }

    @Override
    public void onOpen(WebSocket ws) {
        socket = ws;
        ws.request(1);
    }

    /**
     * Sends a message into {@code general} if connected (a client offline keeps its message; here it is simply
     * not sent), and says whether it went out. Its ack is passed to the ack listener.
     */
    synchronized boolean send(String text, String id) {
        WebSocket ws = socket;
        if (ws == null) {
            return false;
        }
        String frame = "{\"type\":\"send\",\"room\":\"general\",\"text\":\"" + text + "\",\"id\":\"" + id + "\"}";
        sending = sending.handle((done, failure) -> null).thenCompose(done -> ws.sendText(frame, true));
        return true;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            read(ws, frame);
        }
        ws.request(1);
        return null;
    }

    private void read(WebSocket ws, String frame) {
        Matcher type = TYPE.matcher(frame);
        Matcher seq = SEQ.matcher(frame);
        if (!type.find() || !seq.find()) {
            return;
        }
        long value = Long.parseLong(seq.group(1));
        switch (type.group(1)) {
            case "welcome" -> welcomed(ws, value);
            case "message" -> received(value);
            case "ack" -> onAck.accept(value);
            default -> {
            }
        }
    }

    private synchronized void welcomed(WebSocket ws, long seq) {
        lastLive = seq;
        if (firstWelcomeSeq < 0) {
            firstWelcomeSeq = seq;
        } else {
            reconnects++;
            String resume = "{\"type\":\"resume\",\"after\":{\"general\":" + contiguous() + "},\"id\":\"r\"}";
            sending = sending.handle((done, failure) -> null).thenCompose(done -> ws.sendText(resume, true));
        }
        firstWelcome.complete(null);
    }

    private synchronized void received(long seq) {
        if (seen.get((int) seq)) {
            duplicates++;
        }
        seen.set((int) seq);
        if (seq > lastLive) {
            // live messages after the welcome come in seq order without gaps; replayed ones are older
            if (seq != lastLive + 1) {
                outOfOrder++;
            }
            lastLive = seq;
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        ended(ws);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        ended(ws);
    }

    private void ended(WebSocket ws) {
        if (socket == ws) {
            socket = null;
            reconnectLater();
        }
    }

    private void reconnectLater() {
        if (running) {
            synchronized (this) {
                node++;
            }
            timer.schedule(this::connect, 100, TimeUnit.MILLISECONDS);
        }
    }

    /** The highest seq below which (since the first welcome) this client has every message. */
    synchronized long contiguous() {
        return seen.nextClearBit((int) firstWelcomeSeq + 1) - 1;
    }

    /** Messages after the first welcome up to {@code last} that this client never received. */
    synchronized long missing(BitSet acked, long last) {
        BitSet wanted = acked.get((int) firstWelcomeSeq + 1, (int) last + 1);
        BitSet have = seen.get((int) firstWelcomeSeq + 1, (int) last + 1);
        wanted.andNot(have);
        return wanted.cardinality();
    }

    synchronized BitSet seen() {
        return (BitSet) seen.clone();
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long outOfOrder() {
        return outOfOrder;
    }

    synchronized int reconnects() {
        return reconnects;
    }

    void stop() {
        running = false;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }
}
