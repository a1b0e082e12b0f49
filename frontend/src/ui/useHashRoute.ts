import { useEffect, useState } from 'preact/hooks';

export type Route = 'chat' | 'stats';

function current(): Route {
  return location.hash === '#/stats' ? 'stats' : 'chat';
}

/** The page's two views by hash (#/stats), so the server serves one index.html for both. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const changed = () => setRoute(current());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}
