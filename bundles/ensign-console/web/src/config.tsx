// Configuration (docs/configuration.md): a namespace's keys as an environment resolves them, an entry's value edited
// with the server's refusal shown at the field, and its history with rollback. A secret value is never put in the
// page, whatever the token may read: it shows as masked and is only ever replaced.
import { useState } from 'preact/hooks';
import { ApiError, get, putVersioned, request } from './api';
import type { Environment } from './model';
import { useCanWrite } from './session';
import { DiffTable, diff, Failure, FieldError, Loading, useLoad, Wide } from './ui';

interface Resolved { value: unknown; version: number; origin: string; secret: boolean }
interface Entry { version: number; value: unknown; schema?: unknown; secret: boolean; updated?: string; actor: string; reason: string | null }

const MASK = '********';
const GLOBAL = '';
const CONFIG_CHANGES = (kind: string) => kind === 'config';
const query = (environment: string) => (environment === GLOBAL ? '' : `?environment=${encodeURIComponent(environment)}`);
const entryPath = (namespace: string, key: string) =>
  `/api/v1/config/${encodeURIComponent(namespace)}/${encodeURIComponent(key)}`;
const where = (environment: string) => environment || 'global';

export function ConfigPage() {
  const writer = useCanWrite();
  const namespaces = useLoad(() => get<string[]>('/api/v1/config'), [], (c) => CONFIG_CHANGES(c.kind));
  const environments = useLoad(() => get<Environment[]>('/api/v1/environments'), [], (c) => c.kind === 'environment');
  const [namespace, setNamespace] = useState('');
  const [environment, setEnvironment] = useState(GLOBAL);
  const [fresh, setFresh] = useState('');
  const shown = namespace || namespaces.data?.[0] || '';
  return (
    <section>
      <h1>Configuration</h1>
      <div class="filters">
        <label>Namespace <select value={shown} onChange={(e) => setNamespace(e.currentTarget.value)}>
          {[...new Set([...(namespaces.data ?? []), ...(fresh ? [fresh] : [])])].map((n) => <option key={n}>{n}</option>)}
        </select></label>
        <label>Values for <select value={environment} onChange={(e) => setEnvironment(e.currentTarget.value)}>
          <option value={GLOBAL}>global</option>
          {(environments.data ?? []).map((env) => <option key={env.name}>{env.name}</option>)}
        </select></label>
        {writer && (
          <form class="inline" aria-label="new namespace" onSubmit={(e) => { e.preventDefault(); const n = new FormData(e.currentTarget).get('ns') as string; setFresh(n); setNamespace(n); }}>
            <label>New namespace <input name="ns" required pattern="[A-Za-z0-9_.\-]{1,128}" /></label>
            <button type="submit">Open</button>
          </form>)}
      </div>
      <Loading loaded={namespaces}>{() => (shown ? <Namespace key={`${shown}/${environment}`} namespace={shown} environment={environment}
        environments={(environments.data ?? []).map((env) => env.name)} />
        : <p>No configuration yet.</p>)}</Loading>
    </section>
  );
}

function Namespace({ namespace, environment, environments }: { namespace: string; environment: string; environments: string[] }) {
  const writer = useCanWrite();
  const entries = useLoad(() => get<Record<string, Resolved>>(`/api/v1/config/${encodeURIComponent(namespace)}${query(environment)}`)
    .catch((e) => (e.status === 404 ? ({} as Record<string, Resolved>) : Promise.reject(e))), [namespace, environment], (c) => CONFIG_CHANGES(c.kind) && c.key.startsWith(`${namespace}/`));
  const [open, setOpen] = useState<string | null>(null);
  const [newKey, setNewKey] = useState('');
  return (
    <Loading loaded={entries}>{() => (
      <>
        <Wide label={`${namespace} in ${where(environment)}`}>
          <table class="list" data-testid="config-entries">
            <caption>{namespace}, values for {where(environment)} (an environment's own value over the global one)</caption>
            <thead><tr><th scope="col">Key</th><th scope="col">Value</th><th scope="col">From</th><th scope="col">Version</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>{Object.entries(entries.data!).map(([key, e]) => (
              <tr key={key} data-key={key}>
                <th scope="row"><code>{key}</code></th>
                <td data-field="value">{e.secret ? <span class="badge">secret {MASK}</span> : <code>{JSON.stringify(e.value)}</code>}</td>
                <td>{e.origin}</td><td>{e.version}</td>
                <td><button type="button" aria-expanded={open === key} onClick={() => setOpen(open === key ? null : key)}>
                  {writer ? `Edit ${key}` : `History of ${key}`}</button></td>
              </tr>))}
            </tbody>
          </table>
        </Wide>
        {Object.keys(entries.data!).length === 0 && <p>No key in {namespace} yet.</p>}
        {writer && (
          <form class="inline" aria-label="new key" onSubmit={(e) => { e.preventDefault(); setOpen(newKey); }}>
            <label>New key <input value={newKey} required onInput={(e) => setNewKey(e.currentTarget.value)} /></label>
            <button type="submit">Add</button>
          </form>)}
        {open && <EntryEditor key={open} namespace={namespace} entryKey={open} environment={environment}
          environments={environments} resolved={entries.data![open]} onSaved={entries.reload} />}
      </>)}
    </Loading>
  );
}

function EntryEditor({ namespace, entryKey, environment, environments, resolved, onSaved }: {
  namespace: string; entryKey: string; environment: string; environments: string[]; resolved?: Resolved; onSaved: () => void;
}) {
  const writer = useCanWrite();
  const path = entryPath(namespace, entryKey);
  const own = resolved && resolved.origin === where(environment);
  const [text, setText] = useState(resolved && !resolved.secret ? JSON.stringify(resolved.value, null, 2) : '');
  const [reason, setReason] = useState('');
  const [secret, setSecret] = useState(resolved?.secret ?? false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<string | null>(null);
  const targets = [GLOBAL, ...environments].filter((t) => t !== environment);
  const [target, setTarget] = useState(targets[0] ?? GLOBAL);
  const history = useLoad(() => (own ? get<Entry[]>(`${path}/history${query(environment)}`) : Promise.resolve([])), [path, environment, saved]);
  const save = async (event: Event) => {
    event.preventDefault();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      setError(new Error(`the value is not JSON: ${(e as Error).message}`));
      return;
    }
    try {
      // the version shown is only this entry's when the value is its own (else it is the global entry's)
      const written = await putVersioned<Entry>(`${path}${query(environment)}`, { value, reason: reason || undefined, ...(secret ? { secret } : {}) },
        own ? resolved!.version : undefined);
      setError(undefined);
      setSaved(`Saved version ${written.data.version}.`);
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  const rollback = async (version: number) => {
    try {
      const written = await request<Entry>('POST', `${path}/rollback${query(environment)}`, { version, reason: reason || undefined });
      setError(undefined);
      setSaved(`Rolled back to version ${version}: now version ${written.data.version}.`);
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  const promote = async () => {
    try {
      const answer = await request<{ entries: Entry[] }>('POST', `/api/v1/config/${encodeURIComponent(namespace)}/promote`,
        { from: environment || null, to: target || null, key: entryKey, reason: reason || undefined });
      setError(undefined);
      setSaved(`Promoted to ${where(target)}: version ${answer.data.entries[0]?.version} there.`);
    } catch (e) {
      setError(e);
    }
  };
  const versions = history.data ?? [];
  const schema = versions[versions.length - 1]?.schema;
  return (
    <section class="panel" aria-labelledby="entry-title">
      <h2 id="entry-title">{namespace}/{entryKey} <span class="hint">{where(environment)}</span></h2>
      {writer && (
        <form onSubmit={save} aria-label={`edit ${entryKey}`}>
          <label for="config-value">Value (JSON){resolved?.secret && ' — secret: type a new value to replace it'}</label>
          <textarea id="config-value" rows={4} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <FieldError error={error} field="/value" />
          <label><input type="checkbox" checked={secret} disabled={resolved?.secret} onChange={(e) => setSecret(e.currentTarget.checked)} /> Secret (masked for viewers; never shown here)</label>
          <label>Reason <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
          <FieldError error={error} field="/reason" />
          {error && !(error instanceof ApiError && error.byField().has('/value')) && <Failure error={error} />}
          <button type="submit" class="primary">Save {where(environment)} value</button>
          {own && (
            <div class="inline">
              <label for="promote-to">Promote this value to</label>
              <select id="promote-to" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
                {targets.map((t) => <option key={t} value={t}>{where(t)}</option>)}
              </select>
              <button type="button" onClick={promote}>Promote</button>
            </div>)}
          {saved && <p role="status">{saved}</p>}
        </form>)}
      {schema !== undefined && <><h3>Schema</h3><pre data-testid="config-schema">{JSON.stringify(schema, null, 2)}</pre></>}
      <Loading loaded={history}>{() => (versions.length === 0 ? <p>No value of its own in {where(environment)} yet.</p> : (
        <>
          <Wide label="history">
            <table class="list" data-testid="config-history">
              <caption>History of {entryKey} in {where(environment)}</caption>
              <thead><tr><th scope="col">Version</th><th scope="col">Value</th><th scope="col">When</th><th scope="col">Who</th>
                <th scope="col">Reason</th>{writer && <th scope="col"><span class="sr-only">Actions</span></th>}</tr></thead>
              <tbody>{versions.map((v, i) => (
                <tr key={v.version}>
                  <td>{v.version}</td><td>{v.secret ? MASK : <code>{JSON.stringify(v.value)}</code>}</td>
                  <td>{v.updated ? new Date(v.updated).toLocaleString() : ''}</td><td>{v.actor}</td><td>{v.reason}</td>
                  {writer && <td>{i < versions.length - 1 && <button type="button" onClick={() => rollback(v.version)}>Roll back to version {v.version}</button>}</td>}
                </tr>))}
              </tbody>
            </table>
          </Wide>
          {versions.length > 1 && !versions[versions.length - 1]!.secret && (
            <DiffTable caption={`Version ${versions[versions.length - 2]!.version} to ${versions[versions.length - 1]!.version}`}
              rows={diff(versions[versions.length - 2]!.value, versions[versions.length - 1]!.value)} />)}
        </>))}
      </Loading>
    </section>
  );
}
