import { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ChatPage } from './ChatPage';
import { Session, SignIn } from './SignIn';
import { useHashRoute } from './useHashRoute';

/** Signed in or not, chat or statistics. */
export function App() {
  const route = useHashRoute();
  // undefined: still asking the server whether the session cookie names someone
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  useEffect(() => {
    api.me()
      .then(me => setSession(me !== null && !me.guest ? { account: true, name: me.username } : null))
      .catch(() => setSession(null));
  }, []);

  // the statistics page and its charting library load only when someone opens it
  const [StatsPage, setStatsPage] = useState<ComponentType<{ signedIn: boolean }> | null>(null);
  useEffect(() => {
    if (route === 'stats' && StatsPage === null) {
      void import('../stats/StatsPage').then(module => setStatsPage(() => module.StatsPage));
    }
  }, [route]);

  const signOut = async () => {
    if (session?.account) {
      await api.logout().catch(() => undefined);
    }
    setSession(null);
  };

  if (route === 'stats') {
    return StatsPage === null ? <p class="loading" role="status">Loading…</p> : <StatsPage signedIn={session != null} />;
  }
  if (session === undefined) {
    return <p class="loading" role="status">Loading…</p>;
  }
  if (session === null) {
    return <SignIn onSignedIn={setSession} />;
  }
  return <ChatPage session={session} onSignOut={signOut} />;
}
