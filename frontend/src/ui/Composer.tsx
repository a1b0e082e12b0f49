import { useState } from 'preact/hooks';
import { ChatStore, RoomModel } from '../chat/store';
import { Limits, textLength } from '../protocol/frames';

/** Enter sends, Shift+Enter starts a new line; a counter appears near the length limit. */
export function Composer({ store, room, title }: { store: ChatStore; room: RoomModel; title: string }) {
  const [text, setText] = useState('');
  const length = textLength(text);
  const tooLong = length > Limits.TEXT_MAX;

  const send = () => {
    if (length === 0 || tooLong) {
      return;
    }
    store.send(text);
    setText('');
  };

  return (
    <form class="composer" onSubmit={event => { event.preventDefault(); send(); }}>
      <textarea id="composer-input" rows={1} value={text} aria-label={`Message ${title}`}
                placeholder={room.draftTo !== null ? `Write to ${room.draftTo}` : `Message ${title}`}
                aria-describedby="composer-hint"
                onInput={event => {
                  setText(event.currentTarget.value);
                  if (event.currentTarget.value.trim() !== '') {
                    store.typing();
                  }
                }}
                onKeyDown={event => {
                  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
                    event.preventDefault();
                    send();
                  }
                }} />
      <button type="submit" class="primary" disabled={length === 0 || tooLong}>Send</button>
      <p id="composer-hint" class={`hint ${tooLong ? 'error' : ''}`}>
        {length > Limits.TEXT_MAX - 200
          ? `${length} / ${Limits.TEXT_MAX} characters`
          : 'Enter to send, Shift+Enter for a new line'}
      </p>
    </form>
  );
}
