import { ChatStore } from '../chat/store';
import { isConversation } from '../chat/names';

/** The rooms one can join: the public ones and private ones one is invited to. */
export function RoomDirectory({ store, onJoined }: { store: ChatStore; onJoined(room: string): void }) {
  if (store.directory === null) {
    return <p class="panel" role="status">Loading rooms…</p>;
  }
  const rooms = store.directory.filter(room => !isConversation(room.room));
  return (
    <div class="panel" aria-label="All rooms">
      {rooms.length === 0 && <p class="hint">No rooms yet.</p>}
      <ul class="directory">
        {rooms.map(room => (
          <li key={room.room}>
            <span class="room-name">{room.visibility === 'private' ? '🔒 ' : '# '}{room.room}</span>
            <span class="members">{room.members} {room.members === 1 ? 'member' : 'members'}</span>
            {room.present
              ? <button type="button" class="small secondary" onClick={() => onJoined(room.room)}>Open</button>
              : <button type="button" class="small primary" data-join={room.room}
                        onClick={() => void store.join(room.room).then(joined => joined && onJoined(room.room))}>
                  Join
                </button>}
          </li>
        ))}
      </ul>
    </div>
  );
}
