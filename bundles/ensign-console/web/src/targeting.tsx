import { useState } from 'preact/hooks';
import { ApiError, get, putVersioned, request } from './api';
import type { Environment, Segment } from './model';
import { useCanWrite } from './session';
import { Conflict, Failure, FieldError, Loading, useLoad } from './ui';

/** A JSON editor for one versioned object of a catalog collection: the segments and environments pages use it. */
function ObjectEditor<T extends { version?: number }>({ path, value, onSaved }: { path: string; value: T; onSaved: () => void }) {
  const writer = useCanWrite();
  const { version, ...body } = value;
  const [text, setText] = useState(JSON.stringify(body, null, 2));
  const [error, setError] = useState<unknown>();
  const [newer, setNewer] = useState<T>();
  const [base, setBase] = useState(version);
  const save = async (event: Event) => {
    event.preventDefault();
    try {
      await putVersioned(path, JSON.parse(text), base);
      setError(undefined);
      onSaved();
    } catch (e) {
      setError(e);
      if ((e as { status?: number }).status === 409) {
        setNewer(await get<T>(path));
      }
    }
  };
  return (
    <form onSubmit={save} aria-label={`edit ${path}`}>
      <textarea aria-label="definition (JSON)" rows={8} value={text} readOnly={!writer} onInput={(e) => setText(e.currentTarget.value)} />
      <FieldError error={error} field="" />
      <Conflict error={error} newer={newer} onTakeNewer={() => {
        const { version: v, ...rest } = newer!;
        setText(JSON.stringify(rest, null, 2)); setBase(v); setError(undefined);
      }} />
      {writer && <button type="submit">Save version {(base ?? 0) + 1}</button>}
    </form>
  );
}

function Collection<T extends { version?: number }>({ title, path, kind, name, template, describe }: {
  title: string; path: string; kind: string; name: (t: T) => string; template: Record<string, unknown>; describe: (t: T) => string;
}) {
  const writer = useCanWrite();
  const items = useLoad(() => get<T[]>(path), [path], (c) => c.kind === kind);
  const [open, setOpen] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>();
  const create = async (event: Event) => {
    event.preventDefault();
    // a PUT replaces what is there: never send the template over an existing one
    if ((items.data ?? []).some((item) => name(item) === key)) {
      setError(new ApiError(409, 'EXISTS', `${kind} '${key}' exists already`));
      return;
    }
    try {
      await request('PUT', `${path}/${encodeURIComponent(key)}`, template);
      setKey('');
      setError(undefined);
      setOpen(key);
      items.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section>
      <h1>{title}</h1>
      {writer && (
        <form class="inline" onSubmit={create} aria-label={`new ${kind}`}>
          <label>New {kind} <input value={key} required onInput={(e) => setKey(e.currentTarget.value)} /></label>
          <button type="submit" class="primary">Create</button>
          <Failure error={error} />
        </form>)}
      <Loading loaded={items}>{() => (
        <ul class="cards">{items.data!.map((item) => (
          <li key={name(item)}>
            <h2>{name(item)} <span class="hint">version {item.version}</span></h2>
            <p>{describe(item)}</p>
            <button type="button" aria-expanded={open === name(item)} onClick={() => setOpen(open === name(item) ? null : name(item))}>
              {writer ? 'Edit' : 'Show'}</button>
            {open === name(item) && <ObjectEditor key={item.version} path={`${path}/${encodeURIComponent(name(item))}`} value={item} onSaved={items.reload} />}
          </li>))}
        </ul>)}
      </Loading>
    </section>
  );
}

export function SegmentsPage() {
  return <Collection<Segment> title="Segments" path="/api/v1/segments" kind="segment" name={(s) => s.key}
    template={{ conditions: [] }}
    describe={(s) => `${s.description ?? ''} ${s.conditions?.length ?? 0} conditions, ${s.included?.length ?? 0} included, ${s.excluded?.length ?? 0} excluded`} />;
}

export function EnvironmentsPage() {
  return <Collection<Environment> title="Environments" path="/api/v1/environments" kind="environment" name={(e) => e.name}
    template={{}} describe={(e) => `${e.description ?? ''} ${e.allowedOrigins?.length ? `origins: ${e.allowedOrigins.join(', ')}` : 'no browser origins'}`} />;
}
