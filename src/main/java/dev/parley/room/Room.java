package dev.parley.room;

import dev.parley.protocol.Names;
import dev.parley.protocol.Visibility;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One room: its live fan-out and who belongs to it. {@code general} counts everyone as a member.
 * <p>
 * Threading: the membership state is guarded by the room's monitor. Whoever changes it holds the
 * monitor across the change, the store write it submits and the sessions it (un)follows, so the
 * changes of one room reach the store in the order they were made, and a deletion and a join
 * cannot interleave: one of them sees the other's result. Nothing done under the monitor blocks.
 */
public final class Room {
    private final String name;
    /**
     * When it was made (epoch ms, as stored): with the name, which a later room may take again once this one is
     * deleted, it tells this room apart from any other, on every node.
     */
    private final long createdAt;
    private final Visibility visibility;
    /** Gives the room's place under the room caps back; runs once, when the room is removed. */
    private final Runnable onRemoved;
    private final RoomChannel channel;
    /** Members by user key; guarded by this. */
    private final Map<String, Member> members = new HashMap<>();
    /** Keys of users invited to a private room; guarded by this. */
    private final Set<String> invited = new HashSet<>();
    /** Volatile, not only guarded: the store's writer asks it for every message without the monitor. */
    private volatile boolean deleted;
    /** Bumped whenever the room becomes empty or stops being empty: a grace timer of an older one is stale. */
    private long emptiness;
    /** {@link System#nanoTime()} of the last change of its members here (0: none). */
    private long membersChangedAt;

    /**
     * A member: the name as the user spells it, and for a guest (gone with its connection) the node that
     * connection is on, whose death takes it out of its rooms.
     */
    public record Member(String name, String guestNode) {

        public static Member registered(String name) {
            return new Member(name, null);
        }

        public static Member guest(String name, String node) {
            return new Member(name, node);
        }

        public boolean guest() {
            return guestNode != null;
        }
    }

    /** A room made now. */
    public Room(String name, Visibility visibility, long lastSeq) {
        this(name, visibility, lastSeq, () -> {
        });
    }

    /** A room made now; {@code onRemoved} runs once when it is removed (deleted, or never came to be): its place under the caps. */
    public Room(String name, Visibility visibility, long lastSeq, Runnable onRemoved) {
        this(name, System.currentTimeMillis(), visibility, lastSeq, onRemoved);
    }

    /** A room made at {@code createdAt} (a stored one). */
    public Room(String name, long createdAt, Visibility visibility, long lastSeq, Runnable onRemoved) {
        this.name = name;
        this.createdAt = createdAt;
        this.visibility = visibility;
        this.onRemoved = onRemoved;
        this.channel = new RoomChannel(name, visibility.wire(), lastSeq);
    }

    public String name() {
        return name;
    }

    public long createdAt() {
        return createdAt;
    }

    public String key() {
        return Names.key(name);
    }

    public Visibility visibility() {
        return visibility;
    }

    public RoomChannel channel() {
        return channel;
    }

    public boolean isGeneral() {
        return Names.GENERAL.equals(name);
    }

    /** A private conversation: its members are the users its name lists. */
    public boolean isConversation() {
        return Names.isConversation(name);
    }

    /** A room that is deleted once empty for the grace period: neither general nor a conversation. */
    public boolean isDisposable() {
        return !isGeneral() && !isConversation();
    }

    public synchronized boolean isMember(String userKey) {
        return isGeneral() || members.containsKey(userKey);
    }

    public synchronized boolean isInvited(String userKey) {
        return invited.contains(userKey);
    }

    /** May this user join? Public rooms: anyone; private rooms: invited users; conversations: those it names. */
    public synchronized boolean admits(String userKey) {
        if (isConversation()) {
            return Names.participants(name).contains(userKey);
        }
        return visibility == Visibility.PUBLIC || invited.contains(userKey);
    }

    /** Names of the members, sorted case-insensitively (for general: none are listed here). */
    public synchronized List<String> memberNames() {
        List<String> names = new ArrayList<>(members.size());
        members.values().forEach(member -> names.add(member.name()));
        names.sort(String.CASE_INSENSITIVE_ORDER);
        return names;
    }

    public synchronized Collection<String> memberKeys() {
        return List.copyOf(members.keySet());
    }

    public synchronized Member member(String userKey) {
        return members.get(userKey);
    }

    public synchronized int memberCount() {
        return members.size();
    }

    public synchronized Set<String> invitedKeys() {
        return Set.copyOf(invited);
    }

    public boolean isDeleted() {
        return deleted;
    }

    public synchronized long emptiness() {
        return emptiness;
    }

    public synchronized long membersChangedAt() {
        return membersChangedAt;
    }

    // --- changes: RoomRegistry's, under this monitor ---

    boolean addMember(String userKey, Member member) {
        boolean wasEmpty = members.isEmpty();
        boolean added = members.putIfAbsent(userKey, member) == null;
        if (added) {
            membersChangedAt = System.nanoTime();
        }
        if (wasEmpty && added) {
            emptiness++;
        }
        return added;
    }

    boolean removeMember(String userKey) {
        boolean removed = members.remove(userKey) != null;
        if (removed) {
            membersChangedAt = System.nanoTime();
        }
        if (removed && members.isEmpty()) {
            emptiness++;
        }
        return removed;
    }

    boolean invite(String userKey) {
        return invited.add(userKey);
    }

    boolean uninvite(String userKey) {
        return invited.remove(userKey);
    }

    /** Marks the room deleted; the first call gives its place under the caps back. */
    void markDeleted() {
        if (!deleted) {
            deleted = true;
            onRemoved.run();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
