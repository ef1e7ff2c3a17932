import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, keepToken, token, type Caller } from './api';
import { startLive, stopLive } from './live';
import { Session } from './session';
import { FlagPage, FlagsPage } from './flags';
import { route as link, useRoute } from './nav';
import { EnvironmentsPage, SegmentsPage } from './targeting';
import { ExperimentPage, ExperimentsPage } from './experiments';
import { ConfigPage } from './config';
import { AuditPage } from './audit';
import { HealthPage, PluginsPage, TokensPage } from './operations';
import './style.css';

function SignIn({ onSignedIn }: { onSignedIn: (caller: Caller) => void }) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    keepToken(secret.trim());
    try {
      const caller = await get<Caller>('/api/v1/whoami');
      if (caller.role === 'sdk' || caller.role === 'metrics') {
        throw new Error(`a ${caller.role} token cannot use the console: sign in with a viewer, editor or admin token`);
      }
      onSignedIn(caller);
    } catch (e) {
      keepToken(null);
      setError(e instanceof ApiError && e.status === 401 ? 'The server does not know this token.' : String(e instanceof Error ? e.message : e));
    }
  };
  return (
    <main class="sign-in">
      <h1>Ensign console</h1>
      <form onSubmit={submit}>
        <label for="token">API token</label>
        <input id="token" type="password" autocomplete="off" value={secret} required
               onInput={(e) => setSecret((e.target as HTMLInputElement).value)} />
        <p class="hint">An admin, editor or viewer token. It stays in this tab's session storage and is forgotten when
          the tab closes or you sign out. The first admin token of a new server is in <code>data/admin-token</code>.</p>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary">Sign in</button>
      </form>
    </main>
  );
}

/** The sections in the navigation: id, label, and whether the caller's role may see it (tokens: admins only). */
const sections: [string, string, (caller: Caller) => boolean][] = [
  ['flags', 'Flags', () => true],
  ['segments', 'Segments', () => true],
  ['experiments', 'Experiments', () => true],
  ['config', 'Configuration', () => true],
  ['environments', 'Environments', () => true],
  ['audit', 'Audit', () => true],
  ['plugins', 'Plugins', () => true],
  ['tokens', 'Tokens', (caller) => caller.role === 'admin'],
  ['health', 'Health', () => true],
];

function Page({ route }: { route: string[] }) {
  const [section, key] = route;
  switch (section) {
    case 'segments': return <SegmentsPage />;
    case 'environments': return <EnvironmentsPage />;
    case 'config': return <ConfigPage />;
    case 'audit': return <AuditPage />;
    case 'plugins': return <PluginsPage />;
    case 'tokens': return <TokensPage />;
    case 'health': return <HealthPage />;
    case 'experiments': return key ? <ExperimentPage experimentKey={key} /> : <ExperimentsPage />;
    default: return key ? <FlagPage flagKey={key} /> : <FlagsPage />;
  }
}

function App() {
  const [caller, setCaller] = useState<Caller | null>(null);
  const [checked, setChecked] = useState(token() === null);
  const [live, setLive] = useState(false);
  const route = useRoute();
  useEffect(() => {
    if (token() !== null) {
      get<Caller>('/api/v1/whoami').then(setCaller, () => keepToken(null)).finally(() => setChecked(true));
    }
  }, []);
  useEffect(() => {
    if (caller) {
      startLive(setLive);
    }
    return stopLive;
  }, [caller]);
  if (!checked) {
    return null;
  }
  if (!caller) {
    return <SignIn onSignedIn={setCaller} />;
  }
  const signOut = () => {
    keepToken(null);
    setCaller(null);
  };
  return (
    <Session.Provider value={caller}>
      <header class="top">
        <a class="brand" href={link('flags')}>Ensign</a>
        <nav aria-label="Sections">
          <ul>
            {sections.filter(([, , shows]) => shows(caller)).map(([id, label]) => (
              <li key={id}><a href={link(id)} aria-current={(route[0] ?? 'flags') === id ? 'page' : undefined}>{label}</a></li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class={`live ${live ? 'on' : 'off'}`} title={live ? 'following changes' : 'reconnecting to the change stream'}>
            {live ? 'live' : 'offline'}</span>
          <span data-testid="who"><strong>{caller.name}</strong> <span class={`role role-${caller.role}`}>{caller.role}</span></span>
          <button type="button" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main"><Page route={route} /></main>
    </Session.Provider>
  );
}

render(<App />, document.getElementById('app')!);
