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
    public static final String CREATE = "create";
    /** Also the reply's type. */
    public static final String ROOMS = "rooms";
    public static final String JOIN = "join";
    public static final String LEAVE = "leave";
    public static final String INVITE = "invite";
    public static final String DM = "dm";

    // server -> client
    public static final String WELCOME = "welcome";
    public static final String ACK = "ack";
    public static final String MESSAGE = "message";
    public static final String RESUMED = "resumed";
    public static final String PRESENCE = "presence";
    public static final String PONG = "pong";
    public static final String ERROR = "error";
    public static final String JOINED = "joined";
    public static final String LEFT = "left";
    public static final String INVITED = "invited";
    public static final String ROOM_DELETED = "room_deleted";

    private FrameTypes() {
    }
}
