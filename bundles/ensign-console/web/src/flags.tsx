import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, get, putVersioned, request } from './api';
import { historyOf, NUMERIC_OPERATORS, servesIn, type AuditRecord, type Condition, type Environment, type Flag,
  type FlagEnvironment, type Plugin, type Rule, type Segment } from './model';
import { navigate, route } from './nav';
import { useCanWrite } from './session';
import { Confirm, Conflict, DiffTable, diff, Failure, FieldError, Loading, useLoad, Wide } from './ui';

const FLAG_CHANGES = (kind: string) => kind === 'flag' || kind === 'environment';

export function FlagsPage() {
  const writer = useCanWrite();
  const flags = useLoad(() => get<Flag[]>('/api/v1/flags'), [], (c) => FLAG_CHANGES(c.kind));
  const environments = useLoad(() => get<Environment[]>('/api/v1/environments'), [], (c) => c.kind === 'environment');
  const [search, setSearch] = useState('');
  const [type, setType] = useState('');
  const [environment, setEnvironment] = useState('production');
  const [state, setState] = useState('');
  const [sort, setSort] = useState('key');
  const shown = useMemo(() => (flags.data ?? [])
    .filter((f) => !search || f.key.includes(search) || (f.description ?? '').toLowerCase().includes(search.toLowerCase()))
    .filter((f) => !type || f.type === type)
    .filter((f) => !state || (state === 'on') === servesIn(f, environment))
    .sort((a, b) => (sort === 'version' ? (b.version ?? 0) - (a.version ?? 0) : sort === 'type'
      ? a.type.localeCompare(b.type) || a.key.localeCompare(b.key) : a.key.localeCompare(b.key))),
  [flags.data, search, type, state, environment, sort]);
  return (
    <section>
      <h1>Flags</h1>
      {writer && <NewFlag existing={(flags.data ?? []).map((f) => f.key)} />}
      <div class="filters" role="search">
        <label>Search <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} /></label>
        <label>Type <select value={type} onChange={(e) => setType(e.currentTarget.value)}>
          <option value="">any</option>{['boolean', 'string', 'number', 'object'].map((t) => <option key={t}>{t}</option>)}
        </select></label>
        <label>State in <select value={environment} onChange={(e) => setEnvironment(e.currentTarget.value)}>
          {(environments.data ?? []).map((env) => <option key={env.name}>{env.name}</option>)}
        </select></label>
        <label>State <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
          <option value="">any</option><option value="on">serving</option><option value="off">killed</option>
        </select></label>
        <label>Sort by <select value={sort} onChange={(e) => setSort(e.currentTarget.value)}>
          <option value="key">key</option><option value="type">type</option><option value="version">last changed</option>
        </select></label>
      </div>
      <Loading loaded={flags}>{() => (
        <Wide label="Flags">
        <table class="list">
          <thead><tr><th scope="col">Key</th><th scope="col">Type</th><th scope="col">Default</th><th scope="col">Rules</th>
            {(environments.data ?? []).map((env) => <th scope="col" key={env.name}>{env.name}</th>)}<th scope="col">Version</th></tr></thead>
          <tbody>{shown.map((f) => (
            <tr key={f.key}>
              <td><a href={route('flags', f.key)}>{f.key}</a>{f.description && <div class="hint">{f.description}</div>}</td>
              <td>{f.type}</td><td>{f.defaultVariant}</td><td>{f.rules?.length ?? 0}</td>
              {(environments.data ?? []).map((env) => (
                <td key={env.name}><span class={servesIn(f, env.name) ? 'badge on' : 'badge off'}>{servesIn(f, env.name) ? 'on' : 'killed'}</span></td>))}
              <td>{f.version}</td>
            </tr>))}
          </tbody>
        </table>
        </Wide>)}
      </Loading>
      {flags.data && shown.length === 0 && <p>No flag matches.</p>}
    </section>
  );
}

const STARTERS: Record<Flag['type'], Record<string, unknown>> = {
  boolean: { on: true, off: false },
  string: { control: 'control', treatment: 'treatment' },
  number: { low: 0, high: 1 },
  object: { empty: {}, full: { enabled: true } },
};

function NewFlag({ existing }: { existing: string[] }) {
  const [key, setKey] = useState('');
  const [type, setType] = useState<Flag['type']>('boolean');
  const [error, setError] = useState<unknown>();
  const create = async (event: Event) => {
    event.preventDefault();
    if (existing.includes(key)) {
      setError(new ApiError(409, 'EXISTS', `flag '${key}' exists already`, '/key'));
      return;
    }
    const variants = STARTERS[type];
    try {
      await request('PUT', `/api/v1/flags/${encodeURIComponent(key)}`, { type, variants, defaultVariant: Object.keys(variants)[1] });
      navigate(route('flags', key));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form class="inline" onSubmit={create} aria-label="New flag">
      <label>New flag key <input value={key} required pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" onInput={(e) => setKey(e.currentTarget.value)} /></label>
      <label>Type <select value={type} onChange={(e) => setType(e.currentTarget.value as Flag['type'])}>
        {Object.keys(STARTERS).map((t) => <option key={t}>{t}</option>)}</select></label>
      <button type="submit" class="primary">Create flag</button>
      <FieldError error={error} field="/key" /><Failure error={error instanceof ApiError && error.field ? undefined : error} />
    </form>
  );
}

interface Loaded { flag: Flag; environments: Environment[]; operators: string[]; strategies: string[]; segments: Segment[] }

export function FlagPage({ flagKey }: { flagKey: string }) {
  const path = `/api/v1/flags/${encodeURIComponent(flagKey)}`;
  const loaded = useLoad<Loaded>(async () => {
    const [flag, environments, plugins, segments] = await Promise.all([get<Flag>(path), get<Environment[]>('/api/v1/environments'),
      get<Plugin[]>('/api/v1/plugins'), get<Segment[]>('/api/v1/segments')]);
    const names = (kind: string) => plugins.filter((p) => p.kind === kind && p.state !== 'missing').map((p) => p.name).sort();
    return { flag, environments, operators: names('operator'), strategies: names('assignment'), segments };
  }, [flagKey], (c) => (c.kind === 'flag' && c.key === flagKey) || c.kind === 'segment' || c.kind === 'environment');
  return <Loading loaded={loaded}>{() => <FlagEditor {...loaded.data!} reload={loaded.reload} path={path} />}</Loading>;
}

function FlagEditor({ flag, environments, operators, strategies, segments, reload, path }: Loaded & { reload: () => void; path: string }) {
  const writer = useCanWrite();
  const [draft, setDraft] = useState<Flag>(() => structuredClone(flag));
  const [base, setBase] = useState(flag.version);
  const [error, setError] = useState<unknown>();
  const [newer, setNewer] = useState<Flag>();
  const [saved, setSaved] = useState(false);
  const [scope, setScope] = useState('');
  const [reason, setReason] = useState('');
  const dirty = JSON.stringify(draft) !== JSON.stringify(flag) || base !== flag.version;
  useEffect(() => {
    // a change made elsewhere shows at once unless it would throw away an edit in progress
    if (!dirty || flag.version === base) {
      setDraft(structuredClone(flag));
      setBase(flag.version);
    }
  }, [flag]);
  const edit = (change: (f: Flag) => void) => {
    const next = structuredClone(draft);
    change(next);
    setDraft(next);
    setSaved(false);
  };
  const weightProblem = rolloutProblem(draft);
  const save = async (event: Event) => {
    event.preventDefault();
    if (weightProblem) {
      return;
    }
    try {
      const { data } = await putVersioned<Flag>(path, strip(draft), base, reason);
      setError(undefined);
      setReason('');
      setNewer(undefined);
      setSaved(true);
      setDraft(structuredClone(data));
      setBase(data.version);
      reload();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.status === 409) {
        setNewer(await get<Flag>(path));
      }
    }
  };
  const scoped: Flag | FlagEnvironment = scope ? draft.environments?.[scope] ?? {} : draft;
  const editScoped = (change: (s: Flag | FlagEnvironment) => void) => edit((f) => {
    if (scope) {
      f.environments = f.environments ?? {};
      f.environments[scope] = f.environments[scope] ?? {};
      change(f.environments[scope]);
    } else {
      change(f);
    }
  });
  const rulesField = scope ? `/environments/${scope}/rules` : '/rules';
  return (
    <section>
      <p class="crumbs"><a href={route('flags')}>Flags</a> / {flag.key}</p>
      <h1>{flag.key} <span class="hint">{flag.type}, version {flag.version}</span></h1>
      <KillSwitches flag={flag} environments={environments} path={path} onDone={reload} />
      <form onSubmit={save} aria-label="Flag definition">
        <fieldset disabled={!writer}>
          <legend>Definition</legend>
          <label>Description <input value={draft.description ?? ''} onInput={(e) => edit((f) => { f.description = e.currentTarget.value || undefined; })} /></label>
          <Variants flag={draft} edit={edit} writer={writer} error={error} />
          <label>Rules and default for{' '}
            <select value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
              <option value="">every environment</option>
              {environments.map((env) => <option key={env.name} value={env.name}>{env.name} (override)</option>)}
            </select>
          </label>
          {scope && !draft.environments?.[scope]?.rules && writer && (
            <p class="hint">{scope} uses the rules of every environment.{' '}
              <button type="button" onClick={() => editScoped((s) => { s.rules = structuredClone(draft.rules ?? []); })}>Override them in {scope}</button></p>)}
          <label>Default variant <select value={scoped.defaultVariant ?? ''} onChange={(e) => editScoped((s) => { s.defaultVariant = e.currentTarget.value || undefined; })}>
            {scope && <option value="">as every environment ({draft.defaultVariant})</option>}
            {Object.keys(draft.variants).map((v) => <option key={v}>{v}</option>)}
          </select></label>
          {(!scope || scoped.rules) && (
            <Rules rules={scoped.rules ?? []} variants={Object.keys(draft.variants)} operators={operators} strategies={strategies}
                   segments={segments} writer={writer} error={error} field={rulesField}
                   onChange={(rules) => editScoped((s) => { s.rules = rules; })} />)}
        </fieldset>
        {weightProblem && <p class="field-error" role="alert">{weightProblem}</p>}
        <Conflict error={error} newer={newer} onTakeNewer={() => { setDraft(structuredClone(newer!)); setBase(newer!.version); setError(undefined); setNewer(undefined); }} />
        {!(error instanceof ApiError && error.status === 409) && <FieldError error={error} field="" />}
        {writer && (
          <div class="actions">
            <label>Reason for the audit trail <input size={40} value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
            <FieldError error={error} field="/reason" />
            <button type="submit" class="primary" disabled={!dirty || !!weightProblem}>Save</button>
            {saved && <span role="status">Saved as version {base}.</span>}
          </div>)}
      </form>
      <TryIt flag={flag} environments={environments} />
      <History flag={flag} />
    </section>
  );
}

/** The body of a PUT: the stored object without what the server keeps for itself. */
function strip(flag: Flag): Omit<Flag, 'version'> {
  const { version: _ignored, ...rest } = flag as Flag & { warnings?: unknown };
  delete (rest as { warnings?: unknown }).warnings;
  return rest;
}

/** Rollout weights are edited as percentages of the rule's traffic: they must add up to 100. */
function rolloutProblem(flag: Flag): string | null {
  const all = [...(flag.rules ?? []).map((r, i) => [`rule ${i + 1}`, r] as const),
    ...Object.entries(flag.environments ?? {}).flatMap(([env, e]) => (e.rules ?? []).map((r, i) => [`${env} rule ${i + 1}`, r] as const))];
  for (const [name, rule] of all) {
    if (rule.rollout) {
      const sum = Object.values(rule.rollout.weights).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 100) > 1e-9) {
        return `The rollout weights of ${name} add up to ${sum} %, not 100 %.`;
      }
    }
  }
  return null;
}

function parseVariant(type: Flag['type'], text: string): unknown {
  switch (type) {
    case 'boolean': return text === 'true';
    case 'number': return Number(text);
    case 'object': try { return JSON.parse(text); } catch { return text; }
    default: return text;
  }
}

function Variants({ flag, edit, writer, error }: { flag: Flag; edit: (c: (f: Flag) => void) => void; writer: boolean; error: unknown }) {
  const [name, setName] = useState('');
  return (
    <fieldset>
      <legend>Variants</legend>
      <table class="list">
        <thead><tr><th scope="col">Name</th><th scope="col">Value</th>{writer && <th scope="col"><span class="sr-only">Remove</span></th>}</tr></thead>
        <tbody>{Object.entries(flag.variants).map(([variant, value]) => (
          <tr key={variant}>
            <td>{variant}</td>
            <td><input aria-label={`value of ${variant}`} value={typeof value === 'string' ? value : JSON.stringify(value)}
                       onChange={(e) => edit((f) => { f.variants[variant] = parseVariant(f.type, e.currentTarget.value); })} />
              <FieldError error={error} field={`/variants/${variant}`} /></td>
            {writer && <td><button type="button" onClick={() => edit((f) => { delete f.variants[variant]; })}>Remove</button></td>}
          </tr>))}
        </tbody>
      </table>
      {writer && (
        <div class="inline">
          <label>New variant <input value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
          <button type="button" disabled={!name || name in flag.variants}
                  onClick={() => { edit((f) => { f.variants[name] = parseVariant(f.type, ''); }); setName(''); }}>Add variant</button>
        </div>)}
      <FieldError error={error} field="/variants" />
    </fieldset>
  );
}

function Rules({ rules, variants, operators, strategies, segments, writer, error, field, onChange }: {
  rules: Rule[]; variants: string[]; operators: string[]; strategies: string[]; segments: Segment[]; writer: boolean;
  error: unknown; field: string; onChange: (rules: Rule[]) => void;
}) {
  const put = (index: number, rule: Rule | null) => onChange(rule === null ? rules.filter((_, i) => i !== index) : rules.map((r, i) => (i === index ? rule : r)));
  const move = (index: number, by: number) => {
    const next = [...rules];
    [next[index], next[index + by]] = [next[index + by], next[index]];
    onChange(next);
  };
  return (
    <fieldset>
      <legend>Rules, first match serves</legend>
      {rules.length === 0 && <p class="hint">No rules: everyone gets the default variant.</p>}
      <ol class="rules">{rules.map((rule, index) => (
        <li key={index} class="rule" aria-label={`rule ${index + 1}`}>
          <RuleEditor rule={rule} index={index} variants={variants} operators={operators} strategies={strategies}
                      segments={segments} writer={writer} onChange={(r) => put(index, r)} />
          <FieldError error={error} field={`${field}/${index}`} />
          {writer && (
            <div class="actions">
              <button type="button" disabled={index === 0} onClick={() => move(index, -1)}>Move up</button>
              <button type="button" disabled={index === rules.length - 1} onClick={() => move(index, 1)}>Move down</button>
              <button type="button" onClick={() => put(index, null)}>Remove rule</button>
            </div>)}
        </li>))}
      </ol>
      {writer && <button type="button" onClick={() => onChange([...rules, { conditions: [], variant: variants[0] }])}>Add rule</button>}
      <FieldError error={error} field={field} />
    </fieldset>
  );
}

function RuleEditor({ rule, index, variants, operators, strategies, segments, writer, onChange }: {
  rule: Rule; index: number; variants: string[]; operators: string[]; strategies: string[]; segments: Segment[];
  writer: boolean; onChange: (rule: Rule) => void;
}) {
  const id = `rule-${index}`;
  const conditions = rule.conditions ?? [];
  const putCondition = (i: number, c: Condition | null) => onChange({ ...rule, conditions: c === null
    ? conditions.filter((_, j) => j !== i) : conditions.map((old, j) => (j === i ? c : old)) });
  const serve = rule.rollout ? 'rollout' : 'variant';
  const weights = rule.rollout?.weights ?? {};
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  return (
    <div>
      <div class="inline">
        <label>Name <input value={rule.name ?? ''} onInput={(e) => onChange({ ...rule, name: e.currentTarget.value || undefined })} /></label>
        <label>Segment <select value={rule.segment ?? ''} onChange={(e) => onChange({ ...rule, segment: e.currentTarget.value || undefined })}>
          <option value="">anyone</option>{segments.map((s) => <option key={s.key}>{s.key}</option>)}</select></label>
      </div>
      <Wide label={`conditions of rule ${index + 1}`}>
      <table class="conditions">
        <caption>Conditions, all must hold</caption>
        <thead><tr><th scope="col">Attribute</th><th scope="col">Not</th><th scope="col">Operator</th><th scope="col">Values (comma separated)</th>{writer && <th scope="col"><span class="sr-only">Remove</span></th>}</tr></thead>
        <tbody>{conditions.map((c, i) => (
          <tr key={i}>
            <td><input aria-label={`attribute of condition ${i + 1} of rule ${index + 1}`} value={c.attribute}
                       onInput={(e) => putCondition(i, { ...c, attribute: e.currentTarget.value })} /></td>
            <td><input type="checkbox" aria-label={`negate condition ${i + 1} of rule ${index + 1}`} checked={!!c.negate}
                       onChange={(e) => putCondition(i, { ...c, negate: e.currentTarget.checked || undefined })} /></td>
            <td><select aria-label={`operator of condition ${i + 1} of rule ${index + 1}`} value={c.operator}
                        onChange={(e) => putCondition(i, { ...c, operator: e.currentTarget.value, values: typed(e.currentTarget.value, c.values ?? []) })}>
              {(operators.includes(c.operator) ? operators : [c.operator, ...operators]).map((o) => <option key={o}>{o}</option>)}
            </select></td>
            <td><input aria-label={`values of condition ${i + 1} of rule ${index + 1}`} value={(c.values ?? []).map(String).join(', ')}
                       onChange={(e) => putCondition(i, { ...c, values: typed(c.operator, e.currentTarget.value.split(',').map((v) => v.trim()).filter(Boolean)) })} /></td>
            {writer && <td><button type="button" onClick={() => putCondition(i, null)}>Remove</button></td>}
          </tr>))}
        </tbody>
      </table>
      </Wide>
      {writer && <button type="button" onClick={() => onChange({ ...rule, conditions: [...conditions, { attribute: '', operator: operators.includes('equals') ? 'equals' : operators[0], values: [] }] })}>Add condition</button>}
      <div class="inline" role="radiogroup" aria-label={`what rule ${index + 1} serves`}>
        <label><input type="radio" name={`${id}-serve`} checked={serve === 'variant'}
                      onChange={() => onChange({ ...rule, rollout: undefined, variant: variants[0] })} /> a variant</label>
        <label><input type="radio" name={`${id}-serve`} checked={serve === 'rollout'}
                      onChange={() => onChange({ ...rule, variant: undefined, rollout: { strategy: 'hash', bucketBy: 'targetingKey', weights: evenly(variants) } })} /> a percentage rollout</label>
      </div>
      {serve === 'variant' ? (
        <label>Variant <select aria-label={`variant of rule ${index + 1}`} value={rule.variant} onChange={(e) => onChange({ ...rule, variant: e.currentTarget.value })}>
          {variants.map((v) => <option key={v}>{v}</option>)}</select></label>
      ) : (
        <div class="rollout">
          {variants.map((v) => (
            <label key={v}>{v} % <input aria-label={`weight of ${v} in rule ${index + 1}, in percent`} type="number" min="0" max="100" step="any" value={weights[v] ?? 0}
                                     onInput={(e) => onChange({ ...rule, rollout: { ...rule.rollout!, weights: { ...weights, [v]: Number(e.currentTarget.value) } } })} /></label>))}
          <span class={Math.abs(sum - 100) > 1e-9 ? 'field-error' : 'hint'}>total {sum} %</span>
          <label>Strategy <select value={rule.rollout!.strategy ?? 'hash'} onChange={(e) => onChange({ ...rule, rollout: { ...rule.rollout!, strategy: e.currentTarget.value } })}>
            {strategies.map((s) => <option key={s}>{s}</option>)}</select></label>
          <label>Bucket by <input value={rule.rollout!.bucketBy ?? 'targetingKey'} onInput={(e) => onChange({ ...rule, rollout: { ...rule.rollout!, bucketBy: e.currentTarget.value } })} /></label>
        </div>)}
    </div>
  );
}

function evenly(variants: string[]): Record<string, number> {
  const share = Math.floor(100 / variants.length);
  return Object.fromEntries(variants.map((v, i) => [v, i === 0 ? 100 - share * (variants.length - 1) : share]));
}

function typed(operator: string, values: unknown[]): unknown[] {
  return NUMERIC_OPERATORS.test(operator) ? values.map((v) => (v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v)) : values.map(String);
}

function KillSwitches({ flag, environments, path, onDone }: { flag: Flag; environments: Environment[]; path: string; onDone: () => void }) {
  const writer = useCanWrite();
  const [asking, setAsking] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const flip = async (environment: string) => {
    const next = structuredClone(flag);
    next.environments = next.environments ?? {};
    const current = next.environments[environment] ?? {};
    next.environments[environment] = { ...current, enabled: !servesIn(flag, environment) };
    try {
      await putVersioned(path, strip(next), flag.version, reason);
      setError(undefined);
      setReason('');
    } catch (e) {
      setError(e);
    }
    onDone();
  };
  return (
    <fieldset class="switches">
      <legend>Kill switch per environment</legend>
      {environments.map((env) => {
        const on = servesIn(flag, env.name);
        return (
          <div key={env.name} class="switch">
            <span>{env.name}</span>
            <span class={on ? 'badge on' : 'badge off'} data-testid={`state-${env.name}`}>{on ? 'serving' : 'killed'}</span>
            {writer && <button type="button" class={on ? 'danger' : ''} onClick={() => setAsking(env.name)}>
              {on ? `Kill in ${env.name}` : `Restore in ${env.name}`}</button>}
          </div>);
      })}
      <Failure error={error} />
      <Confirm open={asking !== null} title={asking && servesIn(flag, asking) ? `Kill ${flag.key} in ${asking}?` : `Restore ${flag.key} in ${asking}?`}
               confirm={asking && servesIn(flag, asking) ? 'Kill it' : 'Restore it'}
               onAnswer={(yes) => { const env = asking; setAsking(null); if (yes && env) { void flip(env); } }}>
        {asking && servesIn(flag, asking)
          ? <p>Every evaluation in {asking} will get the default variant <strong>{flag.environments?.[asking]?.defaultVariant ?? flag.defaultVariant}</strong> with reason DISABLED, at once.</p>
          : <p>Evaluations in {asking} will follow the flag's rules again.</p>}
        <label>Reason for the audit trail <input size={40} value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
      </Confirm>
    </fieldset>
  );
}

function TryIt({ flag, environments }: { flag: Flag; environments: Environment[] }) {
  const [environment, setEnvironment] = useState(environments.some((e) => e.name === 'production') ? 'production' : environments[0]?.name);
  const [context, setContext] = useState('{\n  "targetingKey": "user-1"\n}');
  const [answer, setAnswer] = useState<Record<string, unknown>>();
  const [error, setError] = useState<unknown>();
  const evaluate = async (event: Event) => {
    event.preventDefault();
    try {
      const parsed = JSON.parse(context);
      const { data } = await request<Record<string, unknown>>('POST',
        `/ofrep/v1/evaluate/flags/${encodeURIComponent(flag.key)}?environment=${encodeURIComponent(environment)}`, { context: parsed });
      setAnswer(data);
      setError(undefined);
    } catch (e) {
      setAnswer(undefined);
      setError(e instanceof SyntaxError ? new ApiError(400, 'INVALID_JSON', e.message, '/context') : e);
    }
  };
  const metadata = (answer?.metadata ?? {}) as Record<string, unknown>;
  return (
    <form class="panel" onSubmit={evaluate} aria-label="Try it">
      <h2>Try it</h2>
      <label>Environment <select value={environment} onChange={(e) => setEnvironment(e.currentTarget.value)}>
        {environments.map((env) => <option key={env.name}>{env.name}</option>)}</select></label>
      <label for="context">Evaluation context (JSON)</label>
      <textarea id="context" rows={5} value={context} onInput={(e) => setContext(e.currentTarget.value)} />
      <FieldError error={error} field="/context" />
      <button type="submit">Evaluate through OFREP</button>
      <Failure error={error instanceof ApiError && error.field === '/context' ? undefined : error} />
      {answer && (
        <dl class="answer" data-testid="try-answer">
          <dt>Value</dt><dd data-testid="try-value">{JSON.stringify(answer.value)}</dd>
          <dt>Variant</dt><dd data-testid="try-variant">{String(answer.variant ?? '—')}</dd>
          <dt>Reason</dt><dd data-testid="try-reason">{String(answer.reason)}{metadata.ensignReason ? ` (${String(metadata.ensignReason)})` : ''}</dd>
          <dt>Matched rule</dt><dd data-testid="try-rule">{metadata.ruleIndex === undefined ? '—' : `${Number(metadata.ruleIndex) + 1}${metadata.rule ? ` (${String(metadata.rule)})` : ''}`}</dd>
        </dl>)}
    </form>
  );
}

function History({ flag }: { flag: Flag }) {
  const records = useLoad(() => historyOf(get, 'flag', flag.key), [flag.key, flag.version]);
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  return (
    <section class="panel" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <Loading loaded={records}>{() => {
        const versions = records.data!.filter((r): r is AuditRecord & { version: number } => r.after !== null && r.version !== null);
        const pick = (v: number | undefined) => versions.find((r) => r.version === v)?.after;
        const a = from ?? versions[versions.length - 2]?.version;
        const b = to ?? versions[versions.length - 1]?.version;
        return (
          <>
            <Wide label="history">
            <table class="list">
              <thead><tr><th scope="col">Version</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Reason</th></tr></thead>
              <tbody>{[...records.data!].reverse().map((r: AuditRecord) => (
                <tr key={r.sequence}><td>{r.version ?? '—'}</td><td>{new Date(r.time).toLocaleString()}</td><td>{r.actor}</td><td>{r.action}</td><td>{r.reason ?? ''}</td></tr>))}
              </tbody>
            </table>
            </Wide>
            {versions.length > 1 && (
              <div>
                <div class="inline">
                  <label>Compare version <select value={a} onChange={(e) => setFrom(Number(e.currentTarget.value))}>
                    {versions.map((r) => <option key={r.version} value={r.version}>{r.version}</option>)}</select></label>
                  <label>with version <select value={b} onChange={(e) => setTo(Number(e.currentTarget.value))}>
                    {versions.map((r) => <option key={r.version} value={r.version}>{r.version}</option>)}</select></label>
                </div>
                <DiffTable rows={diff(stripVersion(pick(a)), stripVersion(pick(b)))} caption={`Version ${a} → ${b}`} />
              </div>)}
          </>);
      }}</Loading>
    </section>
  );
}

function stripVersion(value: unknown): unknown {
  if (value && typeof value === 'object') {
    const { version: _v, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  return value;
}
