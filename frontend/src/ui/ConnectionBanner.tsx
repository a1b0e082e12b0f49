import { ChatStore } from '../chat/store';

/** Says why the chat is not live, and what can be done about it. */
export function ConnectionBanner({ store, onSignOut }: { store: ChatStore; onSignOut(): void }) {
  if (store.connectionState === 'reconnecting') {
    return (
      <div class="banner" data-state="reconnecting">
        <span>Connection lost. {store.connectionDetail ? `Reconnecting: ${store.connectionDetail}.` : 'Reconnecting…'}
          {' '}Nothing is lost: missed messages arrive when it is back.</span>
        <button type="button" class="secondary" onClick={() => store.reconnectNow()}>Retry now</button>
      </div>
    );
  }
  if (store.connectionState === 'closed') {
    return (
      <div class="banner" data-state="closed">
        <span>Disconnected{store.connectionDetail ? `: ${store.connectionDetail}` : ''}.</span>
        <button type="button" class="secondary" onClick={onSignOut}>Sign in again</button>
      </div>
    );
  }
  return null;
}
