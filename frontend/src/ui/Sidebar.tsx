import { useState } from 'preact/hooks';
import { conversationTitle, isConversation } from '../chat/names';
import { ChatStore, RoomModel } from '../chat/store';
import { unreadLabel } from '../protocol/unread';
import { RoomDirectory } from './RoomDirectory';
import { NewRoomForm } from './NewRoomForm';

type Panel = 'none' | 'browse' | 'create';

/** Rooms and conversations with their unread badges, invitations, and who is online. */
export function Sidebar({ store, onNavigate }: { store: ChatStore; onNavigate(): void }) {
  const [panel, setPanel] = useState<Panel>('none');
  const rooms = [...store.rooms.values()];
  const channels = rooms.filter(room => !isConversation(room.name)).sort(byName);
  const conversations = rooms.filter(room => isConversation(room.name)).sort(byName);
  const online = [...store.online].sort((a, b) => a.localeCompare(b));

  const open = (name: string) => {
    store.open(name);
    onNavigate();
    focusComposer();
  };
  const toggle = (next: Panel) => {
    setPanel(panel === next ? 'none' : next);
    if (next === 'browse' && panel !== 'browse') {
      void store.listRooms();
    }
  };

  return (
    <nav id="sidebar" class="sidebar" aria-label="Rooms and people">
      {store.invitations.length > 0 && (
        <section aria-labelledby="invitations-heading" class="invitations">
          <h2 id="invitations-heading">Invitations</h2>
          <ul>
            {store.invitations.map(invitation => (
              <li key={invitation.room}>
                <span>{invitation.by} invited you to <strong>{invitation.room}</strong></span>
                <button type="button" class="small primary"
                        onClick={() => void store.join(invitation.room).then(joined => joined && onNavigate())}>Join</button>
                <button type="button" class="small secondary"
                        onClick={() => store.dismissInvitation(invitation.room)}>Dismiss</button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="rooms-heading">
        <div class="section-head">
          <h2 id="rooms-heading">Rooms</h2>
          <button type="button" class="small secondary" aria-expanded={panel === 'browse'}
                  onClick={() => toggle('browse')}>Browse</button>
          <button type="button" class="small secondary" aria-expanded={panel === 'create'}
                  onClick={() => toggle('create')}>New</button>
        </div>
        {panel === 'browse' && <RoomDirectory store={store} onJoined={name => { setPanel('none'); open(name); }} />}
        {panel === 'create' && <NewRoomForm store={store} onCreated={name => { setPanel('none'); open(name); }} />}
        <RoomList store={store} rooms={channels} open={open} />
      </section>
      <section aria-labelledby="conversations-heading">
        <h2 id="conversations-heading">Conversations</h2>
        {conversations.length === 0
          ? <p class="hint">Click someone online to talk in private.</p>
          : <RoomList store={store} rooms={conversations} open={open} />}
      </section>
      <section aria-labelledby="online-heading">
        <h2 id="online-heading">Online <span class="count">{store.onlineCount}</span></h2>
        <ul class="people">
          {online.map(user => (
            <li key={user}>
              {user === store.me
                ? <span class="person me"><span class="dot" aria-hidden="true" />{user} (you)</span>
                : <button type="button" class="person" data-user={user} title={`Message ${user} in private`}
                          onClick={() => { store.openConversation(user); onNavigate(); focusComposer(); }}>
                    <span class="dot" aria-hidden="true" />{user}
                  </button>}
            </li>
          ))}
        </ul>
      </section>
    </nav>
  );
}

function RoomList({ store, rooms, open }: { store: ChatStore; rooms: RoomModel[]; open(name: string): void }) {
  return (
    <ul class="rooms">
      {rooms.map(room => {
        const unread = store.unread.get(room.name);
        const current = room.name === store.current;
        return (
          <li key={room.name}>
            <button type="button" class="room-link" data-room={room.name} data-unread={unread}
                    aria-current={current ? 'page' : undefined} onClick={() => open(room.name)}>
              <span class="room-name">{roomLabel(room, store.me)}</span>
              {unread > 0 && <span class="unread">{unreadLabel(unread)}<span class="visually-hidden"> unread</span></span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export function roomLabel(room: RoomModel, me: string): string {
  if (isConversation(room.name)) {
    return conversationTitle(room.name, me);
  }
  return `${room.visibility === 'private' ? '🔒 ' : '# '}${room.name}`;
}

function byName(a: RoomModel, b: RoomModel): number {
  if (a.name === 'general') {
    return -1;
  }
  if (b.name === 'general') {
    return 1;
  }
  return a.name.localeCompare(b.name);
}

function focusComposer(): void {
  requestAnimationFrame(() => document.getElementById('composer-input')?.focus());
}
