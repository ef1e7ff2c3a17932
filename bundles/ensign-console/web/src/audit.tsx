// The audit trail (GET /api/v1/audit), newest first, with filters, the journal's verification and where each sink
// stands. The route pages by sequence only, so the filters are applied here, to windows read backwards from the end.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from './api';
import type { AuditRecord, Environment } from './model';
import { onChange } from './live';
import { DiffTable, diff, Failure, Loading, useLoad, Wide } from './ui';

interface AuditWindow { records: AuditRecord[]; next: number; lastSequence: number }
interface Verification { valid: boolean; records: number; firstInvalidSequence?: number; message: string }
interface Sink { name: string; cursor: number; lag: number; failures: number; lastError: string | null }

export interface AuditFilter { kind: string; key: string; actor: string; environment: string; from: string; to: string }

/** Records read per request; the route's cap. */
const WINDOW = 1000;
/** Matching records shown at a time. */
const SHOWN = 50;
/** The environment filter's value for records that concern every environment (environment null). */
export const EVERY_ENVIRONMENT = '(every environment)';
const KINDS = ['flag', 'segment', 'environment', 'config', 'experiment', 'token', 'webhook', 'bundle', 'schedule'];
const NO_FILTER: AuditFilter = { kind: '', key: '', actor: '', environment: '', from: '', to: '' };

/** A datetime-local value (no zone), read as UTC; NaN when empty. */
const utc = (value: string) => (value ? Date.parse(`${value}Z`) : NaN);

export function matches(record: AuditRecord, filter: AuditFilter): boolean {
  const time = Date.parse(record.time);
  return (!filter.kind || record.kind === filter.kind)
    && (!filter.key || record.key.includes(filter.key))
    && (!filter.actor || record.actor.toLowerCase().includes(filter.actor.toLowerCase()))
    && (!filter.environment || (filter.environment === EVERY_ENVIRONMENT ? record.environment === null : record.environment === filter.environment))
    && !(time < utc(filter.from)) && !(time >= utc(filter.to) + 60_000);
}

/**
 * Matching records read backwards from sequence `end` (inclusive) until `want` are found or the log's start (or the
 * filter's start time) is reached; newest first. `cursor` is where the next, older window ends (0: nothing older).
 */
async function scan(filter: AuditFilter, end: number, want: number): Promise<{ found: AuditRecord[]; cursor: number }> {
  const found: AuditRecord[] = [];
  let cursor = end;
  while (cursor > 0 && found.length < want) {
    const since = Math.max(0, cursor - WINDOW);
    const page = await get<AuditWindow>(`/api/v1/audit?since=${since}&limit=${cursor - since}`);
    found.push(...page.records.filter((r) => matches(r, filter)).reverse());
    cursor = since;
    if (page.records.length > 0 && Date.parse(page.records[0].time) < utc(filter.from)) {
      cursor = 0;
    }
  }
  return { found, cursor };
}

/** Every record after `since`, oldest first. */
async function newer(since: number): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for (let from = since; ;) {
    const page = await get<AuditWindow>(`/api/v1/audit?since=${from}&limit=${WINDOW}`);
    records.push(...page.records);
    if (page.records.length === 0 || page.next >= page.lastSequence) {
      return records;
    }
    from = page.next;
  }
}

interface Trail { rows: AuditRecord[]; cursor: number; newest: number }

export function AuditPage() {
  const environments = useLoad(() => get<Environment[]>('/api/v1/environments'), [], (c) => c.kind === 'environment');
  const [draft, setDraft] = useState<AuditFilter>(NO_FILTER);
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const [trail, setTrail] = useState<Trail>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // reads one after the other, each from what the one before left, so that none loses another's records
  const queue = useRef<Promise<void>>(Promise.resolve());
  const shown = useRef<Trail>();
  const older = useRef(() => {});
  useEffect(() => {
    let live = true;
    const enqueue = (work: () => Promise<Trail | undefined>) => {
      queue.current = queue.current.then(work).then((next) => {
        if (live && next) {
          shown.current = next;
          setTrail(next);
        }
      }, (e) => { if (live) { setError(e); } });
    };
    const then = (step: (t: Trail) => Promise<Trail>) => enqueue(async () => (live && shown.current ? step(shown.current) : undefined));
    shown.current = undefined;
    setTrail(undefined);
    enqueue(async () => {
      const last = (await get<AuditWindow>('/api/v1/audit?since=0&limit=1')).lastSequence;
      const { found, cursor } = await scan(filter, last, SHOWN);
      return { rows: found, cursor, newest: last };
    });
    older.current = () => then(async (t) => {
      const more = await scan(filter, t.cursor, SHOWN);
      return { ...t, rows: [...t.rows, ...more.found], cursor: more.cursor };
    });
    // a change committed while the page is open: its record is read and shown on top if it matches
    const stop = onChange(() => then(async (t) => {
      const added = await newer(t.newest);
      return added.length === 0 ? t : { ...t, rows: [...added.filter((r) => matches(r, filter)).reverse(), ...t.rows],
        newest: added[added.length - 1].sequence };
    }));
    return () => { live = false; stop(); };
  }, [filter]);
  const readOlder = () => {
    setBusy(true);
    older.current();
    void queue.current.then(() => setBusy(false));
  };
  const field = (name: keyof AuditFilter) => ({
    value: draft[name], onInput: (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value }),
  });
  const kinds = [...new Set([...KINDS, ...(trail?.rows ?? []).map((r) => r.kind)])].sort();
  return (
    <section>
      <h1>Audit trail</h1>
      <Verify />
      <form class="filters" role="search" aria-label="Filter the audit trail"
            onSubmit={(e) => { e.preventDefault(); setError(undefined); setFilter(draft); }}>
        <label>Kind <input list="audit-kinds" size={12} {...field('kind')} /></label>
        <datalist id="audit-kinds">{kinds.map((k) => <option key={k} value={k} />)}</datalist>
        <label>Key contains <input size={14} {...field('key')} /></label>
        <label>Actor contains <input size={14} {...field('actor')} /></label>
        <label>Environment <select value={draft.environment} onChange={(e) => setDraft({ ...draft, environment: e.currentTarget.value })}>
          <option value="">any</option><option>{EVERY_ENVIRONMENT}</option>
          {(environments.data ?? []).map((env) => <option key={env.name}>{env.name}</option>)}
        </select></label>
        <label>From (UTC) <input type="datetime-local" {...field('from')} /></label>
        <label>To (UTC) <input type="datetime-local" {...field('to')} /></label>
        <button type="submit" class="primary">Filter</button>
        <button type="button" onClick={() => { setDraft(NO_FILTER); setFilter(NO_FILTER); }}>Clear</button>
      </form>
      <Failure error={error} />
      {trail === undefined && !error && <p aria-busy="true">Loading…</p>}
      {trail && <Records rows={trail.rows} />}
      {trail && (
        <p class="hint" data-testid="audit-extent">{trail.rows.length} records shown, newest first;{' '}
          {trail.cursor > 0 ? `read back to sequence ${trail.cursor + 1} of ${trail.newest}.` : `the whole trail (${trail.newest} records) read.`}
          {trail.cursor > 0 && <> <button type="button" disabled={busy} onClick={readOlder}>Older records</button></>}</p>)}
      <Sinks />
    </section>
  );
}

function Records({ rows }: { rows: AuditRecord[] }) {
  const [open, setOpen] = useState<number | null>(null);
  if (rows.length === 0) {
    return <p>No record matches.</p>;
  }
  return (
    <Wide label="Audit records">
      <table class="list" data-testid="audit-records">
        <thead><tr>{['Sequence', 'Time (UTC)', 'Actor', 'Action', 'Kind', 'Key', 'Environment', 'Version', 'Reason', 'Change']
          .map((h) => <th scope="col" key={h}>{h}</th>)}</tr></thead>
        <tbody>{rows.map((r) => [
          <tr key={r.sequence} data-sequence={r.sequence}>
            <td>{r.sequence}</td><td>{r.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</td><td data-field="actor">{r.actor}</td>
            <td>{r.action}</td><td data-field="kind">{r.kind}</td><td data-field="key">{r.key}</td>
            <td data-field="environment">{r.environment ?? '—'}</td><td>{r.version ?? '—'}</td><td>{r.reason ?? ''}</td>
            <td><button type="button" aria-expanded={open === r.sequence} aria-label={`${open === r.sequence ? 'Hide' : 'Show'} the change of record ${r.sequence}`}
                        onClick={() => setOpen(open === r.sequence ? null : r.sequence)}>{open === r.sequence ? 'Hide' : 'Show'}</button></td>
          </tr>,
          open === r.sequence && (
            <tr key={`${r.sequence}-diff`}><td colSpan={10}>
              <DiffTable rows={diff(r.before, r.after)} caption={`Record ${r.sequence}: before → after`} /></td></tr>),
        ])}</tbody>
      </table>
    </Wide>
  );
}

/** The journal's hash chain checked by the server, on request (it reads the whole journal). */
function Verify() {
  const [result, setResult] = useState<Verification>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await get<Verification>('/api/v1/audit/verify'));
    } catch (e) {
      setResult(undefined);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="panel">
      <div class="inline">
        <button type="button" onClick={verify} disabled={busy}>Verify the journal</button>
        <span class="hint">checks the hash chain of the audit journal, record by record, against the store's change log</span>
      </div>
      {result && (
        <p role={result.valid ? 'status' : 'alert'} data-testid="verify-result">
          <span class={result.valid ? 'badge on' : 'badge off'}>{result.valid ? 'intact' : 'broken'}</span>{' '}
          {result.records} records{result.firstInvalidSequence !== undefined && `, first invalid: ${result.firstInvalidSequence}`}.{' '}
          {result.message}</p>)}
      <Failure error={error} />
    </div>
  );
}

function Sinks() {
  const sinks = useLoad(() => get<Sink[]>('/api/v1/audit/sinks'), [], () => true);
  return (
    <>
      <h2>Audit sinks</h2>
      <Loading loaded={sinks}>{() => (
        <Wide label="Audit sinks">
          <table class="list" data-testid="audit-sinks">
            <thead><tr><th scope="col">Sink</th><th scope="col">Delivered up to</th><th scope="col">Behind by</th>
              <th scope="col">Failed attempts</th><th scope="col">Last error</th></tr></thead>
            <tbody>{sinks.data!.map((s) => (
              <tr key={s.name}><td>{s.name}</td><td>{s.cursor}</td><td>{s.lag}</td><td>{s.failures}</td><td>{s.lastError ?? '—'}</td></tr>))}
            </tbody>
          </table>
        </Wide>)}
      </Loading>
    </>
  );
}
