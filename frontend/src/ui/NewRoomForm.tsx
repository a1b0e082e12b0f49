import { useState } from 'preact/hooks';
import { ChatStore } from '../chat/store';
import { Visibility } from '../protocol/frames';

const ROOM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function NewRoomForm({ store, onCreated }: { store: ChatStore; onCreated(room: string): void }) {
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [error, setError] = useState('');

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!ROOM_NAME.test(trimmed)) {
      setError('A room name is 1-64 letters, digits, "_", "-" or ".".');
      return;
    }
    setError('');
    if (await store.create(trimmed, visibility)) {
      onCreated(trimmed);
    }
  };

  return (
    <form class="panel" onSubmit={submit} aria-label="New room">
      <label for="new-room-name">Room name</label>
      <input id="new-room-name" value={name} maxLength={64} required autoFocus
             onInput={event => setName(event.currentTarget.value)} />
      <fieldset>
        <legend>Who can join</legend>
        <label><input type="radio" name="visibility" checked={visibility === 'public'}
                      onChange={() => setVisibility('public')} /> Anyone (public)</label>
        <label><input type="radio" name="visibility" checked={visibility === 'private'}
                      onChange={() => setVisibility('private')} /> Invited people (private)</label>
      </fieldset>
      <button type="submit" class="primary small">Create</button>
      <p class="error" role="alert">{error}</p>
    </form>
  );
}
