import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Limits } from '../protocol/frames';

/** Who the page connects as: an account (the session cookie carries it) or a guest nickname. */
export interface Session { account: boolean; name: string }

type Mode = 'guest' | 'login' | 'register';

const LAST_NICKNAME = 'parley.nickname';
const MODES: [Mode, string][] = [['guest', 'Guest'], ['login', 'Sign in'], ['register', 'Register']];

export function SignIn({ onSignedIn, problem }: { onSignedIn(session: Session): void; problem: string }) {
  const [mode, setMode] = useState<Mode>('guest');
  const [name, setName] = useState(() => localStorage.getItem(LAST_NICKNAME) ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!Limits.NAME.test(trimmed)) {
      setError('A name is 1-32 letters, digits, "_", "-" or ".".');
      return;
    }
    setBusy(true);
    setError('');
    try {
      if (mode === 'guest') {
        await api.checkNickname(trimmed);
        localStorage.setItem(LAST_NICKNAME, trimmed);
        onSignedIn({ account: false, name: trimmed });
        return;
      }
      if (mode === 'register') {
        await api.register(trimmed, password);
      }
      const login = await api.login(trimmed, password);
      onSignedIn({ account: true, name: login.username });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <h1>Parley</h1>
      <p class="tagline">Team chat, live.</p>
      <div class="modes" role="group" aria-label="How to join">
        {MODES.map(([value, label]) => (
          <button key={value} type="button" aria-pressed={mode === value}
                  onClick={() => { setMode(value); setError(''); }}>{label}</button>
        ))}
      </div>
      <form onSubmit={submit} aria-describedby="signin-error">
        <label for="signin-name">{mode === 'guest' ? 'Nickname' : 'Username'}</label>
        <input id="signin-name" name="username" required maxLength={32} value={name} autoFocus
               autoComplete={mode === 'guest' ? 'nickname' : 'username'}
               onInput={event => setName(event.currentTarget.value)} />
        {mode !== 'guest' && <>
          <label for="signin-password">Password</label>
          <input id="signin-password" name="password" type="password" required minLength={8} maxLength={128}
                 autoComplete={mode === 'register' ? 'new-password' : 'current-password'} value={password}
                 onInput={event => setPassword(event.currentTarget.value)} />
          {mode === 'register' && <p class="hint">8 to 128 characters.</p>}
        </>}
        <button type="submit" class="primary" disabled={busy}>
          {mode === 'guest' ? 'Join as guest' : mode === 'login' ? 'Sign in' : 'Create account'}
        </button>
        <p id="signin-error" class="error" role="alert">{error || problem}</p>
      </form>
      <p class="aside"><a href="#/stats">Server statistics</a></p>
    </main>
  );
}
