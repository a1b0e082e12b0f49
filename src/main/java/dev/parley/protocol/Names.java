package dev.parley.protocol;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The contract's naming rules for users and rooms. Names compare case-insensitively via {@link #key}. */
public final class Names {
    public static final String GENERAL = "general";
    /** The rule of user names, for error messages. */
    public static final String USER_RULE = "1-32 characters of A-Z a-z 0-9 _ - .";
    /** The first character of a private conversation's name, and only of those. */
    public static final String CONVERSATION_PREFIX = "@";

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** {@code @} + two or more user names joined by {@code +} (stored lowercase, matched in any case). */
    private static final Pattern CONVERSATION = Pattern.compile("@[A-Za-z0-9_.-]{1,32}(\\+[A-Za-z0-9_.-]{1,32})+");

    private Names() {
    }

    public static boolean isValidUser(String name) {
        return name != null && USER.matcher(name).matches();
    }

    /** A public or private room name, or a private conversation name. */
    public static boolean isValidRoom(String name) {
        return name != null && (ROOM.matcher(name).matches() || CONVERSATION.matcher(name).matches());
    }

    /** A name a client may give a new room: not a conversation's. */
    public static boolean isValidNewRoom(String name) {
        return name != null && ROOM.matcher(name).matches();
    }

    public static boolean isConversation(String room) {
        return room.startsWith(CONVERSATION_PREFIX);
    }

    /** The conversation room of these users: {@code @} + their distinct keys, sorted, joined by {@code +}. */
    public static String conversation(Collection<String> users) {
        return users.stream().map(Names::key).distinct().sorted()
                .collect(Collectors.joining("+", CONVERSATION_PREFIX, ""));
    }

    /** The user keys a conversation's name is made of. */
    public static List<String> participants(String conversation) {
        return Arrays.asList(key(conversation.substring(1)).split("\\+"));
    }

    /** The case-insensitive identity of a name. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
