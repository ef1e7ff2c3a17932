// Small pieces every page uses: loading with live reloads, error display at fields, a confirmation dialog, a diff,
// a lost If-Match race.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { onChange, type Change } from './live';

export interface Loaded<T> { data?: T; error?: unknown; reload: () => void }

/** Loads with load(), again whenever a change the filter accepts comes down the stream. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], follows?: (change: Change) => boolean): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then((data) => current && setState({ data }), (error) => current && setState({ error }));
    return () => { current = false; };
  }, [...deps, round]);
  useEffect(() => (follows ? onChange((change) => follows(change) && setRound((r) => r + 1)) : undefined), deps);
  return { ...state, reload: () => setRound((r) => r + 1) };
}

export function Failure({ error }: { error: unknown }) {
  if (!error) {
    return null;
  }
  const text = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
  return <p class="error" role="alert">{text}</p>;
}

/** The messages an ApiError has for one field (a JSON pointer or a prefix of one). */
export function FieldError({ error, field }: { error: unknown; field: string }) {
  if (!(error instanceof ApiError)) {
    return null;
  }
  const messages = [...error.byField()].filter(([f]) => f === field || f.startsWith(field + '/')).flatMap(([f, m]) =>
    m.map((text) => (f === field ? text : `${f.slice(field.length + 1)}: ${text}`)));
  return messages.length ? <span class="field-error" role="alert">{messages.join('; ')}</span> : null;
}

export function Loading({ loaded, children }: { loaded: Loaded<unknown>; children: () => ComponentChildren }) {
  if (loaded.error) {
    return <Failure error={loaded.error} />;
  }
  return loaded.data === undefined ? <p aria-busy="true">Loading…</p> : <>{children()}</>;
}

/** A modal question; resolves with the answer. The dialog element gives focus trapping and Escape. */
export function Confirm({ open, title, children, confirm, onAnswer }: {
  open: boolean; title: string; children: ComponentChildren; confirm: string; onAnswer: (yes: boolean) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (open && !dialog.current?.open) {
      dialog.current?.showModal();
    } else if (!open && dialog.current?.open) {
      dialog.current.close();
    }
  }, [open]);
  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" onCancel={() => onAnswer(false)}>
      <h2 id="confirm-title">{title}</h2>
      <div>{children}</div>
      <div class="actions">
        <button type="button" onClick={() => onAnswer(false)}>Cancel</button>
        <button type="button" class="danger" onClick={() => onAnswer(true)}>{confirm}</button>
      </div>
    </dialog>
  );
}

type Flat = Map<string, string>;

function flatten(value: unknown, path: string, into: Flat): Flat {
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) {
      flatten(child, `${path}/${key}`, into);
    }
  } else {
    into.set(path || '/', JSON.stringify(value));
  }
  return into;
}

/** The fields two JSON documents differ in, each as a JSON pointer with its old and new value. */
export function diff(before: unknown, after: unknown): { path: string; from?: string; to?: string }[] {
  const a = flatten(before ?? null, '', new Map());
  const b = flatten(after ?? null, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((path) => ({ path, from: a.get(path), to: b.get(path) }));
}

export function DiffTable({ rows, caption }: { rows: { path: string; from?: string; to?: string }[]; caption: string }) {
  if (rows.length === 0) {
    return <p>No difference.</p>;
  }
  return (
    <Wide label={caption}>
    <table class="diff">
      <caption>{caption}</caption>
      <thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.path}>
            <td><code>{row.path}</code></td>
            <td class="removed">{row.from ?? '—'}</td>
            <td class="added">{row.to ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </Wide>
  );
}

/** A table that may be wider than the screen scrolls sideways; focusable, so that the keyboard can scroll it too. */
export function Wide({ label, children }: { label: string; children: ComponentChildren }) {
  return <div class="wide" role="region" aria-label={label} tabIndex={0}>{children}</div>;
}

/** A newer version won an If-Match race: say so and show what it holds. */
export function Conflict({ error, newer, onTakeNewer }: { error: unknown; newer: unknown; onTakeNewer: () => void }) {
  if (!(error instanceof ApiError) || error.status !== 409) {
    return null;
  }
  return (
    <div class="conflict" role="alert">
      <p><strong>Not saved:</strong> someone changed this first ({error.message}). Your edit is still here; the newer
        version is below.</p>
      {newer !== undefined && <pre>{JSON.stringify(newer, null, 2)}</pre>}
      <button type="button" onClick={onTakeNewer}>Load the newer version</button>
    </div>
  );
}
