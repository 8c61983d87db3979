/** The shell: login when the admin API asks for the master key, navigation, and the view named by the URL. */
import { useState } from 'preact/hooks';
import { ApiError, get, storeKey, storedKey } from './api';
import { ErrorNote, useFetch } from './use-fetch';
import { navigate, useLocation } from './url-state';
import { SpendView } from './views/spend';
import { LogsView } from './views/logs';
import { RequestView } from './views/request';
import { KeysView } from './views/keys';
import { EvalsView } from './views/evals';
import { ProvidersView } from './views/providers';

export interface Meta { now: number; routes: string[]; models: string[]; deployments: string[]; keys: Array<{ id: string; name: string; revoked: boolean }>; liveFeed: boolean }

const VIEWS: Array<[string, string]> = [['spend', 'Spend'], ['logs', 'Requests'], ['keys', 'Keys'], ['evals', 'Evals'], ['providers', 'Providers']];

function Login(props: { error?: Error; onLogin: () => void }) {
  const [key, setKey] = useState('');
  return (
    <form class="login" data-testid="login" onSubmit={(event) => { event.preventDefault(); storeKey(key); props.onLogin(); }}>
      <h2>Arbiter dashboard</h2>
      <p>Enter the master key. It is kept in this browser tab's session only.</p>
      <input type="password" name="master-key" autocomplete="current-password" data-testid="master-key" value={key} onInput={(event) => setKey((event.currentTarget as HTMLInputElement).value)} />
      <button type="submit">Sign in</button>
      {props.error && storedKey() && <ErrorNote error={props.error} />}
    </form>
  );
}

export function App() {
  const location = useLocation();
  const [session, setSession] = useState(0);
  const meta = useFetch((signal) => get<Meta>('meta', {}, signal), String(session));
  const needsLogin = meta.error instanceof ApiError && (meta.error.status === 401 || meta.error.status === 403);
  if (needsLogin) return <Login error={meta.error} onLogin={() => setSession((n) => n + 1)} />;
  return (
    <>
      <header>
        <b>Arbiter</b>
        <nav>{VIEWS.map(([view, label]) => (
          <a key={view} href={`/ui/${view}`} class={location.view === view || (view === 'logs' && location.view === 'request') ? 'on' : ''}
            onClick={(event) => { event.preventDefault(); navigate(view); }}>{label}</a>
        ))}</nav>
        {storedKey() && <button class="link" onClick={() => { storeKey(null); setSession((n) => n + 1); }}>sign out</button>}
      </header>
      <main>
        <ErrorNote error={meta.error} />
        {meta.data && <View view={location.view} params={location.params} meta={meta.data} reloadMeta={() => setSession((n) => n + 1)} />}
      </main>
    </>
  );
}

function View(props: { view: string; params: URLSearchParams; meta: Meta; reloadMeta: () => void }) {
  switch (props.view) {
    case 'spend': return <SpendView params={props.params} meta={props.meta} />;
    case 'logs': return <LogsView params={props.params} meta={props.meta} />;
    case 'request': return <RequestView params={props.params} />;
    case 'keys': return <KeysView meta={props.meta} onChange={props.reloadMeta} />;
    case 'evals': return <EvalsView params={props.params} />;
    case 'providers': return <ProvidersView params={props.params} />;
    default: return <p>Unknown view '{props.view}'. <a href="/ui/spend">Spend</a></p>;
  }
}
