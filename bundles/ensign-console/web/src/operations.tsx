// Operations: the plugins and the bundles of the deploy directory (hot deploy and removal), API tokens, health.
import { useContext, useEffect, useState } from 'preact/hooks';
import { ApiError, get, request, type Caller, type Role } from './api';
import type { Environment, Plugin } from './model';
import { Session } from './session';
import { Confirm, Failure, FieldError, Loading, useLoad, Wide } from './ui';

interface BundleInfo { id: number; symbolicName: string; version: string; state: string; location: string }

const isAdmin = (caller: Caller | null) => caller?.role === 'admin';

/** active is good; grace and failing are a warning; quarantined and missing are trouble. */
const STATE_BADGE: Record<string, string> = { active: 'on', grace: 'warn', failing: 'warn', quarantined: 'off', missing: 'off' };

export function PluginsPage() {
  const admin = isAdmin(useContext(Session));
  const loaded = useLoad(() => Promise.all([get<Plugin[]>('/api/v1/plugins'), get<BundleInfo[]>('/api/v1/bundles')]), [],
    (c) => c.kind === 'bundle');
  const [removing, setRemoving] = useState<BundleInfo | null>(null);
  const [done, setDone] = useState('');
  const [error, setError] = useState<unknown>();
  const remove = async (yes: boolean) => {
    const bundle = removing!;
    setRemoving(null);
    if (!yes) {
      return;
    }
    try {
      await request('DELETE', `/api/v1/bundles/${encodeURIComponent(bundle.symbolicName)}`);
      setError(undefined);
      setDone(`Removed ${bundle.symbolicName} ${bundle.version}.`);
    } catch (e) {
      setError(e);
    }
    loaded.reload();
  };
  return (
    <section>
      <h1>Plugins</h1>
      <div class="actions"><button type="button" onClick={loaded.reload}>Refresh</button></div>
      <Loading loaded={loaded}>{() => {
        const [plugins, bundles] = loaded.data!;
        return (
          <>
            <Wide label="Plugins">
              <table class="list" data-testid="plugins">
                <caption>Registered plugins, by kind</caption>
                <thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Bundle</th>
                  <th scope="col">State</th><th scope="col">Failures</th><th scope="col">Time-outs</th></tr></thead>
                <tbody>{plugins.map((p) => (
                  <tr key={`${p.kind}/${p.name}`} data-plugin={p.name}>
                    <td>{p.kind}</td><td>{p.name}</td><td>{p.version ?? '—'}</td><td>{p.bundle ?? '—'}</td>
                    <td data-field="state"><span class={`badge ${STATE_BADGE[p.state] ?? ''}`}>{p.state}</span></td>
                    <td>{p.failures}</td><td>{p.timeouts}</td>
                  </tr>))}
                </tbody>
              </table>
            </Wide>
            <h2>Bundles of the deploy directory</h2>
            {bundles.length === 0 ? <p>No plugin bundle is deployed.</p> : (
              <Wide label="Deployed bundles">
                <table class="list" data-testid="bundles">
                  <thead><tr><th scope="col">Bundle</th><th scope="col">Version</th><th scope="col">State</th><th scope="col">File</th>
                    {admin && <th scope="col"><span class="sr-only">Remove</span></th>}</tr></thead>
                  <tbody>{bundles.map((b) => (
                    <tr key={b.symbolicName} data-bundle={b.symbolicName}>
                      <td>{b.symbolicName}</td><td>{b.version}</td><td>{b.state}</td><td><code>{b.location.replace(/^.*\//, '')}</code></td>
                      {admin && <td><button type="button" class="danger" onClick={() => setRemoving(b)}>Remove {b.symbolicName}</button></td>}
                    </tr>))}
                  </tbody>
                </table>
              </Wide>)}
          </>
        );
      }}</Loading>
      {done && <p role="status">{done}</p>}
      <Failure error={error} />
      {admin && <Upload onDone={(text) => { setDone(text); loaded.reload(); }} />}
      <Confirm open={removing !== null} title={`Remove ${removing?.symbolicName ?? ''}?`} confirm="Remove it" onAnswer={remove}>
        <p>The bundle is uninstalled and its jar deleted from the deploy directory. Flags that use one of its plugins get
          their default variant with reason <code>ERROR</code> once the grace period is over.</p>
      </Confirm>
    </section>
  );
}

/** A jar sent as it is to POST /api/v1/bundles: the server checks it, writes it into deploy/ and waits for it. */
function Upload({ onDone }: { onDone: (text: string) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const upload = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const { data } = await request<BundleInfo>('POST', '/api/v1/bundles', file!, { 'Content-Type': 'application/java-archive' });
      setError(undefined);
      (event.target as HTMLFormElement).reset();
      setFile(null);
      onDone(`Deployed ${data.symbolicName} ${data.version} (${data.state}).`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel" onSubmit={upload} aria-label="Deploy a plugin bundle">
      <h2>Deploy a plugin bundle</h2>
      <label>Bundle jar <input type="file" accept=".jar,application/java-archive" required
                               onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} /></label>
      <p class="hint">The jar is checked (what it may not do is refused, docs/plugins.md), written into the deploy directory
        and started; its plugins can be used as soon as this says so. A bundle already there is refused: remove it first.</p>
      <button type="submit" class="primary" disabled={!file || busy}>Deploy</button>
      <Failure error={error} />
    </form>
  );
}

interface Token { id: string; name: string; role: Role; environment?: string; created: string }
const ROLES: Role[] = ['viewer', 'editor', 'admin', 'sdk', 'metrics'];

export function TokensPage() {
  const caller = useContext(Session);
  if (!isAdmin(caller)) {
    return <section><h1>Tokens</h1><p>Only an admin can see and issue API tokens.</p></section>;
  }
  return <Tokens self={caller!.id} />;
}

function Tokens({ self }: { self: string }) {
  const tokens = useLoad(() => get<Token[]>('/api/v1/tokens'), [], (c) => c.kind === 'token');
  const [revoking, setRevoking] = useState<Token | null>(null);
  const [error, setError] = useState<unknown>();
  const revoke = async (yes: boolean) => {
    const token = revoking!;
    setRevoking(null);
    if (yes) {
      try {
        await request('DELETE', `/api/v1/tokens/${encodeURIComponent(token.id)}`);
        setError(undefined);
      } catch (e) {
        setError(e);
      }
      tokens.reload();
    }
  };
  return (
    <section>
      <h1>Tokens</h1>
      <NewToken onIssued={tokens.reload} />
      <Failure error={error} />
      <Loading loaded={tokens}>{() => (
        <Wide label="Tokens">
          <table class="list" data-testid="tokens">
            <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Environment</th><th scope="col">Issued</th>
              <th scope="col">Id</th><th scope="col"><span class="sr-only">Revoke</span></th></tr></thead>
            <tbody>{tokens.data!.map((t) => (
              <tr key={t.id} data-token={t.name}>
                <td>{t.name}{t.id === self && <span class="hint"> (you)</span>}</td><td>{t.role}</td><td>{t.environment ?? '—'}</td>
                <td>{t.created.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</td><td><code>{t.id}</code></td>
                <td><button type="button" class="danger" onClick={() => setRevoking(t)}>Revoke {t.name}</button></td>
              </tr>))}
            </tbody>
          </table>
        </Wide>)}
      </Loading>
      <Confirm open={revoking !== null} title={`Revoke ${revoking?.name ?? ''}?`} confirm="Revoke it" onAnswer={revoke}>
        <p>Every request with this token is refused from now on (401); whoever uses it needs a new one.
          {revoking?.id === self && <strong> This is the token you are signed in with.</strong>}</p>
      </Confirm>
    </section>
  );
}

function NewToken({ onIssued }: { onIssued: () => void }) {
  const environments = useLoad(() => get<Environment[]>('/api/v1/environments'), [], (c) => c.kind === 'environment');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [environment, setEnvironment] = useState('');
  const [issued, setIssued] = useState<Token & { token: string }>();
  const [error, setError] = useState<unknown>();
  const issue = async (event: Event) => {
    event.preventDefault();
    try {
      const body = role === 'sdk' ? { name, role, environment: environment || environments.data?.[0]?.name } : { name, role };
      const { data } = await request<Token & { token: string }>('POST', '/api/v1/tokens', body);
      setIssued(data);
      setError(undefined);
      setName('');
      onIssued();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <form class="inline" onSubmit={issue} aria-label="New token">
        <label>Name <input value={name} required maxLength={128} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <FieldError error={error} field="/name" />
        <label>Role <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          {ROLES.map((r) => <option key={r}>{r}</option>)}</select></label>
        {role === 'sdk' && (
          <label>Environment <select value={environment} onChange={(e) => setEnvironment(e.currentTarget.value)}>
            {(environments.data ?? []).map((env) => <option key={env.name}>{env.name}</option>)}</select></label>)}
        <FieldError error={error} field="/environment" />
        <button type="submit" class="primary">Issue token</button>
        {!(error instanceof ApiError && error.violations.length > 0) && <Failure error={error} />}
      </form>
      {issued && (
        <div class="conflict" role="alert" data-testid="new-secret">
          <p><strong>Copy the secret of {issued.name} ({issued.role}) now:</strong> it is shown this once and never again
            (the server keeps only its hash).</p>
          <pre aria-label="secret">{issued.token}</pre>
          <button type="button" onClick={() => setIssued(undefined)}>I have copied it</button>
        </div>)}
    </>
  );
}

interface Readiness { status: string; store?: string; storeReason?: string; plugins?: { missing: string[] }; missing?: string[] }

/** /health/live and /health/ready, which need no token; read again every few seconds while the page is open. */
export function HealthPage() {
  const [health, setHealth] = useState<{ live: number; ready: number; readiness: Readiness; at: string }>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let open = true;
    const read = async () => {
      try {
        const [live, ready] = await Promise.all([fetch('/health/live'), fetch('/health/ready')]);
        const readiness = await ready.json() as Readiness;
        if (open) {
          setHealth({ live: live.status, ready: ready.status, readiness, at: new Date().toISOString() });
          setError(undefined);
        }
      } catch (e) {
        if (open) {
          setError(e);
        }
      }
    };
    void read();
    const timer = setInterval(read, 5000);
    return () => { open = false; clearInterval(timer); };
  }, []);
  const missing = health?.readiness.missing ?? [];
  return (
    <section>
      <h1>Health</h1>
      <Failure error={error} />
      {!health && !error && <p aria-busy="true">Loading…</p>}
      {health && (
        <>
          <dl class="answer" data-testid="health">
            <dt>Live</dt><dd data-field="live"><span class={health.live === 200 ? 'badge on' : 'badge off'}>{health.live === 200 ? 'up' : `down (${health.live})`}</span></dd>
            <dt>Ready</dt><dd data-field="ready"><span class={health.ready === 200 ? 'badge on' : 'badge off'}>{health.ready === 200 ? 'ready' : `not ready (${health.ready})`}</span></dd>
            <dt>Store</dt><dd data-field="store">{health.readiness.store ?? '—'}{health.readiness.storeReason && `: ${health.readiness.storeReason}`}</dd>
            <dt>Plugins missing</dt><dd data-field="plugins-missing">{health.readiness.plugins?.missing.join(', ') || 'none'}</dd>
            <dt>Not ready</dt><dd data-field="missing">{missing.length ? missing.join('; ') : 'nothing'}</dd>
          </dl>
          <p class="hint">Read at {health.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}, again every 5 s. <code>/health/live</code> and
            {' '}<code>/health/ready</code> need no token: point the load balancer at them.</p>
        </>)}
    </section>
  );
}
