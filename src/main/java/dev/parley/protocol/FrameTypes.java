package dev.parley.protocol;

/** Every {@code type} string of the contract, in one place (mirrored by the frontend). */
public final class FrameTypes {
    // client -> server
    public static final String SEND = "send";
    public static final String HISTORY = "history";
    public static final String RESUME = "resume";
    public static final String READ = "read";
    public static final String TYPING = "typing";
    public static final String PING = "ping";
    public static final String PRESENCE_SUB = "presence_sub";

    // server -> client
    public static final String WELCOME = "welcome";
    public static final String ACK = "ack";
    public static final String MESSAGE = "message";
    public static final String RESUMED = "resumed";
    public static final String PRESENCE = "presence";
    public static final String PONG = "pong";
    public static final String ERROR = "error";

    private FrameTypes() {
    }
}
