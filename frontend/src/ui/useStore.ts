import { useEffect, useState } from 'preact/hooks';
import { ChatStore } from '../chat/store';

/** Re-renders the component whenever the store changes. */
export function useStore(store: ChatStore): ChatStore {
  const [, setVersion] = useState(0);
  useEffect(() => store.subscribe(() => setVersion(version => version + 1)), [store]);
  return store;
}
