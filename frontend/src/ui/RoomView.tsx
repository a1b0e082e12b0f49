import { useState } from 'preact/hooks';
import { isConversation } from '../chat/names';
import { ChatStore, RoomModel } from '../chat/store';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { roomLabel } from './Sidebar';

/** One room: its header and actions, its messages, who is typing, and the composer. */
export function RoomView({ store, room }: { store: ChatStore; room: RoomModel }) {
  const [inviting, setInviting] = useState(false);
  const [invitee, setInvitee] = useState('');
  const conversation = isConversation(room.name);
  const typers = store.typers(room);
  const title = roomLabel(room, store.me);

  const invite = async (event: Event) => {
    event.preventDefault();
    if (invitee.trim() !== '' && await store.invite(room.name, invitee.trim())) {
      setInvitee('');
      setInviting(false);
    }
  };

  return (
    <main class="room" aria-labelledby="room-title">
      <header class="room-head">
        <h2 id="room-title">{conversation ? `Conversation with ${title}` : title}</h2>
        {room.members !== null && !conversation && (
          <span class="members">{room.members.length} {room.members.length === 1 ? 'member' : 'members'}</span>
        )}
        {room.draftTo === null && room.name !== 'general' && (
          <div class="room-actions">
            <button type="button" class="small secondary" aria-expanded={inviting}
                    onClick={() => setInviting(!inviting)}>{conversation ? 'Add person' : 'Invite'}</button>
            <button type="button" class="small secondary" onClick={() => void store.leave(room.name)}>Leave</button>
          </div>
        )}
      </header>
      {inviting && (
        <form class="panel invite" onSubmit={invite}
              aria-label={conversation ? 'Add a person: opens a group conversation' : 'Invite to this room'}>
          <label for="invitee">{conversation ? 'Add to a new group conversation' : 'Invite'}</label>
          <input id="invitee" list="online-people" value={invitee} maxLength={32} required autoFocus
                 onInput={event => setInvitee(event.currentTarget.value)} placeholder="user name" />
          <datalist id="online-people">
            {[...store.online].filter(user => user !== store.me).map(user => <option key={user} value={user} />)}
          </datalist>
          <button type="submit" class="small primary">{conversation ? 'Add' : 'Invite'}</button>
        </form>
      )}
      <MessageList store={store} room={room} />
      <p class="typing" aria-live="polite">{typingText(typers)}</p>
      <Composer store={store} room={room} title={conversation ? title : room.name} />
    </main>
  );
}

function typingText(typers: string[]): string {
  if (typers.length === 0) {
    return '';
  }
  if (typers.length === 1) {
    return `${typers[0]} is typing…`;
  }
  if (typers.length <= 3) {
    return `${typers.slice(0, -1).join(', ')} and ${typers[typers.length - 1]} are typing…`;
  }
  return 'Several people are typing…';
}
