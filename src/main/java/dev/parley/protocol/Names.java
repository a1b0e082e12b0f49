package dev.parley.protocol;

import java.util.Locale;
import java.util.regex.Pattern;

/** The contract's naming rules for users and rooms. Names compare case-insensitively via {@link #key}. */
public final class Names {
    public static final String GENERAL = "general";

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** {@code @} + two or more lowercase user names joined by {@code +}. */
    private static final Pattern CONVERSATION = Pattern.compile("@[a-z0-9_.-]{1,32}(\\+[a-z0-9_.-]{1,32})+");

    private Names() {
    }

    public static boolean isValidUser(String name) {
        return name != null && USER.matcher(name).matches();
    }

    /** A public or private room name, or a private conversation name. */
    public static boolean isValidRoom(String name) {
        return name != null && (ROOM.matcher(name).matches() || CONVERSATION.matcher(name).matches());
    }

    /** The case-insensitive identity of a name. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
