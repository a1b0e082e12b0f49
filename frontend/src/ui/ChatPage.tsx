import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { ChatStore } from '../chat/store';
import { browserSocket } from '../protocol/connection';
import { unreadLabel } from '../protocol/unread';
import { ConnectionBanner } from './ConnectionBanner';
import { RoomView } from './RoomView';
import { Sidebar } from './Sidebar';
import { Session } from './SignIn';
import { useStore } from './useStore';

function socketUrl(session: Session): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // an account's session cookie goes with the handshake by itself; a guest names itself
  const query = session.account ? '' : `?nickname=${encodeURIComponent(session.name)}`;
  return `${scheme}://${location.host}/ws${query}`;
}

/** The chat: sidebar, the open room, the connection's state. One store and connection per sign-in. */
export function ChatPage({ session, onSignOut, hidden }: { session: Session; onSignOut(): void; hidden: boolean }) {
  const store = useMemo(() => new ChatStore(() => browserSocket(socketUrl(session))), [session]);
  useStore(store);
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    store.start();
    const shown = () => store.pageShown();
    document.addEventListener('visibilitychange', shown);
    return () => {
      document.removeEventListener('visibilitychange', shown);
      store.stop();
      document.title = 'Parley';
    };
  }, [store]);

  // a handshake the server refuses looks like any drop to a browser: ask whether the session still holds
  useEffect(() => {
    if (store.connectionState === 'reconnecting' && session.account) {
      api.me().then(me => {
        if (me === null) {
          store.stop('your session has ended: sign in again');
        }
      }, () => undefined);
    }
  }, [store, store.connectionState, store.connectionDetail]);

  // the phone's drawer: focus goes into it when it opens, Escape closes it
  useEffect(() => {
    if (menuOpen) {
      document.querySelector<HTMLElement>('#sidebar .room-link')?.focus();
    }
  }, [menuOpen]);
  const closeMenuOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && menuOpen) {
      setMenuOpen(false);
      document.querySelector<HTMLElement>('.menu-toggle')?.focus();
    }
  };

  const unread = store.unread.total();
  useEffect(() => {
    document.title = unread > 0 ? `(${unreadLabel(unread)}) Parley` : 'Parley';
  }, [unread]);

  const room = store.currentRoom;
  return (
    <div class="app" data-menu={menuOpen ? 'open' : 'closed'} hidden={hidden} onKeyDown={closeMenuOnEscape}>
      <header class="topbar">
        <button type="button" class="menu-toggle" aria-expanded={menuOpen} aria-controls="sidebar"
                onClick={() => setMenuOpen(!menuOpen)}>
          <span aria-hidden="true">☰</span><span class="visually-hidden">Rooms and people</span>
        </button>
        <h1>Parley</h1>
        <nav class="views" aria-label="Views">
          <a href="#/" aria-current="page">Chat</a>
          <a href="#/stats">Statistics</a>
        </nav>
        <span class="connection" data-state={store.connectionState} role="status">
          {label(store.connectionState)}
        </span>
        <span class="me">
          {session.name}{!session.account && <span class="badge-guest"> (guest)</span>}
        </span>
        <button type="button" class="secondary" onClick={onSignOut}>Sign out</button>
      </header>
      <ConnectionBanner store={store} onSignOut={onSignOut} />
      <div class="chat">
        <Sidebar store={store} onNavigate={() => setMenuOpen(false)} />
        {room !== null && store.ready
          ? <RoomView key={room.name} store={store} room={room} />
          : <main class="room empty"><p role="status">Connecting to Parley…</p></main>}
      </div>
      <div class="toast" role="status">{store.toast?.error === false ? store.toast.text : ''}</div>
      <div class="toast error" role="alert">{store.toast?.error ? store.toast.text : ''}</div>
      <div class="visually-hidden" aria-live="polite">{store.announcement}</div>
    </div>
  );
}

function label(state: string): string {
  switch (state) {
    case 'open': return 'Connected';
    case 'connecting': return 'Connecting…';
    case 'reconnecting': return 'Reconnecting…';
    default: return 'Disconnected';
  }
}
