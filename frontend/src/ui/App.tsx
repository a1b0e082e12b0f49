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

  const [signOutProblem, setSignOutProblem] = useState('');
  const signOut = async () => {
    setSignOutProblem('');
    if (session?.account) {
      try {
        await api.logout();
      } catch (error) {
        setSignOutProblem(`The server could not end your session (${error instanceof Error ? error.message : error}). `
          + 'Sign in and out again, or clear this site\'s cookies.');
      }
    }
    setSession(null);
  };

  const stats = route === 'stats' && (StatsPage === null
    ? <p class="loading" role="status">Loading…</p>
    : <StatsPage signedIn={session != null} />);
  if (session === undefined) {
    return stats || <p class="loading" role="status">Loading…</p>;
  }
  if (session === null) {
    return stats || <SignIn onSignedIn={setSession} problem={signOutProblem} />;
  }
  // the chat stays connected behind the statistics page: leaving it must not end the session
  return <>
    {stats}
    <ChatPage session={session} onSignOut={signOut} hidden={route === 'stats'} />
  </>;
}
