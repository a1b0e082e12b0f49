import { useLayoutEffect, useRef } from 'preact/hooks';
import { linkify } from '../chat/linkify';
import { ChatStore, RoomModel } from '../chat/store';
import { Entry, Pending } from '../chat/timeline';
import { Message } from '../protocol/frames';

const NEAR_EDGE_PX = 80;
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The room's messages, a live region screen readers follow. It stays at the bottom while the reader
 * is there, keeps its place when older messages are loaded above, and loads them on scrolling up.
 */
export function MessageList({ store, room }: { store: ChatStore; room: RoomModel }) {
  const list = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const before = useRef({ height: 0, first: '' });
  const entries = room.timeline.entries();
  const first = entries[0]?.key ?? '';

  useLayoutEffect(() => {
    const element = list.current;
    if (element === null) {
      return;
    }
    if (before.current.first !== '' && before.current.first !== first && !atBottom.current) {
      // older messages came in above: keep what the reader was looking at in place
      element.scrollTop += element.scrollHeight - before.current.height;
    } else if (atBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
    before.current = { height: element.scrollHeight, first };
  });

  const scrolled = () => {
    const element = list.current!;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_EDGE_PX;
    if (element.scrollTop < NEAR_EDGE_PX && room.hasOlder) {
      void store.loadOlder(room);
    }
  };

  return (
    // new messages are announced by the page's live region, not this list: loading history would flood it
    <div ref={list} class="messages" role="region" aria-label={`Messages in ${room.name}`}
         aria-busy={room.history === 'loading' || room.loadingOlder} tabIndex={0} onScroll={scrolled}>
      {room.hasOlder && (
        <button type="button" class="small secondary load-older" disabled={room.loadingOlder}
                onClick={() => void store.loadOlder(room)}>
          {room.loadingOlder ? 'Loading…' : 'Load older messages'}
        </button>
      )}
      {room.history === 'loading' && <p class="hint" role="status">Loading history…</p>}
      {room.history === 'loaded' && entries.length === 0 && (
        <p class="hint">{room.draftTo !== null
          ? `Start the conversation with ${room.draftTo}.`
          : room.hasOlder ? 'No messages in the last 10 minutes.' : 'No messages yet. Say hello!'}</p>
      )}
      <ol>
        {entries.map(entry => <EntryView key={entry.key} entry={entry} store={store} room={room} />)}
      </ol>
    </div>
  );
}

function EntryView({ entry, store, room }: { entry: Entry; store: ChatStore; room: RoomModel }) {
  switch (entry.kind) {
    case 'notice':
      return <li class="notice">{entry.notice.text}</li>;
    case 'message':
      return <MessageView message={entry.message} mine={entry.message.from === store.me} />;
    case 'pending': {
      const pending = entry.pending;
      return (
        <li class="message mine pending" data-state={pending.state}>
          <div class="meta"><span class="from">{store.me}</span>
            <span class="status">{status(pending.state)}</span></div>
          <Text text={pending.text} />
          {pending.state === 'failed' && (
            <div class="failed" role="alert">
              <span>{pending.error}</span>
              <button type="button" class="small primary" onClick={() => store.retry(room, pending.localId)}>Retry</button>
              <button type="button" class="small secondary" onClick={() => store.discard(room, pending.localId)}>Discard</button>
            </div>
          )}
        </li>
      );
    }
  }
}

function status(state: Pending['state']): string {
  switch (state) {
    case 'failed': return 'Not sent';
    case 'waiting': return 'Waiting to send…';
    default: return 'Sending…';
  }
}

function MessageView({ message, mine }: { message: Message; mine: boolean }) {
  const at = new Date(message.ts);
  return (
    <li class={`message ${mine ? 'mine' : ''}`} data-seq={message.seq}>
      <div class="meta">
        <span class="from">{message.from}</span>
        <time dateTime={message.ts} title={dateFormat.format(at)}>{timeFormat.format(at)}</time>
      </div>
      <Text text={message.text} />
    </li>
  );
}

/** Text as text: Preact escapes it; links are http(s) only and open apart from the page. */
function Text({ text }: { text: string }) {
  return (
    <p class="text">
      {linkify(text).map((part, index) => part.kind === 'link'
        ? <a key={index} href={part.href} target="_blank" rel="noopener noreferrer nofollow">{part.text}</a>
        : part.text)}
    </p>
  );
}
