// Experiments: the list, a new experiment from a flag's variants, the lifecycle buttons the status allows, and the
// results document with its history drawn over time (docs/statistics.md, "The results document").
import { useState } from 'preact/hooks';
import { ApiError, get, request } from './api';
import { ResultsChart } from './chart';
import type { Environment, Flag } from './model';
import { navigate, route } from './nav';
import { useCanWrite } from './session';
import { Failure, FieldError, Loading, useLoad, Wide } from './ui';

export interface Metric { name: string; kind: 'mean' | 'proportion' }
export interface Experiment {
  key: string; flag: string; environment: string; control: string; weights: Record<string, number>; metrics: Metric[];
  primaryMetric: string; alpha: number; power: number; minimumDetectableEffect: number;
  autoStop: { enabled: boolean; minUnitsPerVariant: number };
  status: 'draft' | 'running' | 'analysing' | 'concluded'; winner: string | null; startedAt: string | null;
  stoppedAt: string | null; stoppedBy: string | null; version: number;
}
interface Interval { estimate: number | null; lower: number | null; upper: number | null }
interface Comparison { test: string; pValue?: number | null; difference?: Interval; relativeLift?: Interval; error?: string }
interface Results {
  status: string;
  variants: Record<string, { units: number; exposures: number; conflicts: number;
    metrics: Record<string, { units: number; mean: number | null; variance: number | null; successes?: number }> }>;
  comparisons: Record<string, Record<string, Comparison>>;
  bayesian: Record<string, Record<string, { credibleInterval?: Interval; chanceToBeatControl?: number | null; error?: string }>>;
  srm: { pValue?: number | null; mismatch?: boolean; error?: string };
  sequential: Record<string, { metric?: string; alwaysValidPValue?: number | null; confidenceSequence?: Interval; error?: string }>;
  decision: { stop: boolean; reason: string; winner: string | null };
}

const EXPERIMENT_CHANGES = (kind: string) => kind === 'experiment';

/** The transitions the lifecycle allows from each status (draft → running → analysing → concluded). */
const TRANSITIONS: Record<Experiment['status'], ('start' | 'stop' | 'conclude')[]> = {
  draft: ['start'], running: ['stop'], analysing: ['conclude'], concluded: [],
};

export function ExperimentsPage() {
  const writer = useCanWrite();
  const experiments = useLoad(() => get<Experiment[]>('/api/v1/experiments'), [], (c) => EXPERIMENT_CHANGES(c.kind));
  return (
    <section>
      <h1>Experiments</h1>
      {writer && experiments.data && <NewExperiment existing={experiments.data.map((e) => e.key)} />}
      <Loading loaded={experiments}>{() => (
        <Wide label="Experiments">
          <table class="list">
            <thead><tr><th scope="col">Key</th><th scope="col">Flag</th><th scope="col">Environment</th>
              <th scope="col">Status</th><th scope="col">Primary metric</th><th scope="col">Winner</th></tr></thead>
            <tbody>{experiments.data!.map((e) => (
              <tr key={e.key}>
                <td><a href={route('experiments', e.key)}>{e.key}</a></td>
                <td><a href={route('flags', e.flag)}>{e.flag}</a></td><td>{e.environment}</td>
                <td><span class={`badge status-${e.status}`}>{e.status}</span></td><td>{e.primaryMetric}</td>
                <td>{e.winner ?? '—'}</td>
              </tr>))}
            </tbody>
          </table>
        </Wide>)}
      </Loading>
      {experiments.data?.length === 0 && <p>No experiment yet.</p>}
    </section>
  );
}

/** Equal whole-number weights that add up to 100. */
function evenWeights(variants: string[]): Record<string, number> {
  const share = Math.floor(100 / variants.length);
  return Object.fromEntries(variants.map((v, i) => [v, i === 0 ? 100 - share * (variants.length - 1) : share]));
}

function NewExperiment({ existing }: { existing: string[] }) {
  const flags = useLoad(() => get<Flag[]>('/api/v1/flags'), [], (c) => c.kind === 'flag');
  const environments = useLoad(() => get<Environment[]>('/api/v1/environments'), []);
  const [key, setKey] = useState('');
  const [flagKey, setFlagKey] = useState('');
  const [environment, setEnvironment] = useState('production');
  const [weights, setWeights] = useState<Record<string, number>>({});
  const [control, setControl] = useState('');
  const [metrics, setMetrics] = useState<Metric[]>([{ name: 'converted', kind: 'proportion' }]);
  const [primary, setPrimary] = useState('converted');
  const [mde, setMde] = useState('0.05');
  const [autoStop, setAutoStop] = useState(false);
  const [minUnits, setMinUnits] = useState('1000');
  const [error, setError] = useState<unknown>();
  const chooseFlag = (k: string) => {
    setFlagKey(k);
    const variants = Object.keys(flags.data?.find((f) => f.key === k)?.variants ?? {});
    setWeights(evenWeights(variants));
    setControl(variants.find((v) => v === 'off' || v === 'control') ?? variants[0] ?? '');
  };
  const setMetric = (i: number, change: Partial<Metric>) => setMetrics(metrics.map((m, j) => (j === i ? { ...m, ...change } : m)));
  const create = async (event: Event) => {
    event.preventDefault();
    // a PUT replaces a draft: never overwrite one that exists
    if (existing.includes(key)) {
      setError(new ApiError(409, 'EXISTS', `experiment '${key}' exists already`));
      return;
    }
    try {
      await request('PUT', `/api/v1/experiments/${encodeURIComponent(key)}`, {
        flag: flagKey, environment, control, weights, metrics, primaryMetric: primary,
        minimumDetectableEffect: Number(mde), autoStop: autoStop ? { enabled: true, minUnitsPerVariant: Number(minUnits) } : { enabled: false },
      });
      navigate(route('experiments', key));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form onSubmit={create} aria-label="new experiment">
      <fieldset>
        <legend>New experiment from a flag</legend>
        <div class="inline">
          <label>Key <input value={key} required onInput={(e) => setKey(e.currentTarget.value)} /></label>
          <label for="experiment-flag">Flag</label> <select id="experiment-flag" value={flagKey} required onChange={(e) => chooseFlag(e.currentTarget.value)}>
            <option value="">choose a flag</option>
            {(flags.data ?? []).map((f) => <option key={f.key}>{f.key}</option>)}
          </select>
          <label for="experiment-environment">Environment</label> <select id="experiment-environment" value={environment} onChange={(e) => setEnvironment(e.currentTarget.value)}>
            {(environments.data ?? []).map((env) => <option key={env.name}>{env.name}</option>)}
          </select>
        </div>
        <FieldError error={error} field="/flag" /><FieldError error={error} field="/environment" />
        {flagKey && (
          <div class="rollout" role="group" aria-label="arms">
            {Object.entries(weights).map(([variant, weight]) => (
              <label key={variant}>Weight of {variant} <input type="number" min={0} value={weight}
                onInput={(e) => setWeights({ ...weights, [variant]: Number(e.currentTarget.value) })} /></label>))}
            <label for="experiment-control">Control</label> <select id="experiment-control" value={control} onChange={(e) => setControl(e.currentTarget.value)}>
              {Object.keys(weights).map((v) => <option key={v}>{v}</option>)}
            </select>
          </div>)}
        <FieldError error={error} field="/weights" /><FieldError error={error} field="/control" />
        <ul class="metrics">{metrics.map((m, i) => (
          <li key={i} class="inline">
            <label>Metric {i + 1} <input value={m.name} required onInput={(e) => setMetric(i, { name: e.currentTarget.value })} /></label>
            <label>Kind <select value={m.kind} onChange={(e) => setMetric(i, { kind: e.currentTarget.value as Metric['kind'] })}>
              <option value="proportion">proportion (converted or not)</option><option value="mean">mean (a value per unit)</option>
            </select></label>
            {metrics.length > 1 && <button type="button" onClick={() => setMetrics(metrics.filter((_, j) => j !== i))}>Remove metric {i + 1}</button>}
          </li>))}
        </ul>
        <button type="button" onClick={() => setMetrics([...metrics, { name: '', kind: 'mean' }])}>Add a metric</button>
        <FieldError error={error} field="/metrics" />
        <div class="inline">
          <label for="experiment-primary">Primary metric</label> <select id="experiment-primary" value={primary} onChange={(e) => setPrimary(e.currentTarget.value)}>
            {metrics.filter((m) => m.name).map((m) => <option key={m.name}>{m.name}</option>)}
          </select>
          <label>Minimum detectable effect <input type="number" step="any" min={0} value={mde} onInput={(e) => setMde(e.currentTarget.value)} /></label>
          <label><input type="checkbox" checked={autoStop} onChange={(e) => setAutoStop(e.currentTarget.checked)} /> Stop automatically</label>
          {autoStop && <label>at least <input type="number" min={2} value={minUnits} onInput={(e) => setMinUnits(e.currentTarget.value)} /> units per variant</label>}
        </div>
        <FieldError error={error} field="/primaryMetric" /><FieldError error={error} field="/minimumDetectableEffect" />
        <FieldError error={error} field="/autoStop" />
        {error instanceof ApiError && error.status !== 422 && <Failure error={error} />}
        <button type="submit" class="primary">Create experiment</button>
      </fieldset>
    </form>
  );
}

const fixed = (n: number | null | undefined, digits = 4) => (n === null || n === undefined ? '—' : n.toFixed(digits));
/** A p-value: four decimals, or in scientific notation when that would show 0. */
const p = (n: number | null | undefined) => (n !== null && n !== undefined && n < 0.0001 ? n.toExponential(2) : fixed(n));
const percent = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${(n * 100).toFixed(2)} %`);
const interval = (i: Interval | undefined, show: (n: number | null | undefined) => string = fixed) =>
  (i ? `${show(i.estimate)} [${show(i.lower)}, ${show(i.upper)}]` : '—');

/** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) {
    return tail(Math.sqrt(-2 * Math.log(p)));
  }
  if (p > 1 - 0.02425) {
    return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  }
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** A variant's mean with its 1 − α interval: mean ± z·sqrt(variance / n), the normal approximation. */
function meanInterval(m: { units: number; mean: number | null; variance: number | null }, alpha: number): string {
  if (m.mean === null || m.variance === null || m.units < 2) {
    return fixed(m.mean);
  }
  const half = normalQuantile(1 - alpha / 2) * Math.sqrt(m.variance / m.units);
  return `${fixed(m.mean)} [${fixed(m.mean - half)}, ${fixed(m.mean + half)}]`;
}

export function ExperimentPage({ experimentKey }: { experimentKey: string }) {
  const writer = useCanWrite();
  const path = `/api/v1/experiments/${encodeURIComponent(experimentKey)}`;
  const follows = (c: { kind: string; key: string }) => EXPERIMENT_CHANGES(c.kind) && c.key === experimentKey;
  const experiment = useLoad(() => get<Experiment>(path), [path], follows);
  const [error, setError] = useState<unknown>();
  const [winner, setWinner] = useState('');
  const move = async (transition: 'start' | 'stop' | 'conclude') => {
    try {
      await request('POST', `${path}/${transition}`, transition === 'conclude' ? { winner: winner || null } : undefined);
      setError(undefined);
      experiment.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section>
      <p class="crumbs"><a href={route('experiments')}>Experiments</a> /</p>
      <h1>{experimentKey}</h1>
      <Loading loaded={experiment}>{() => {
        const e = experiment.data!;
        return (
          <>
            <dl class="answer" aria-label="definition">
              <dt>Status</dt><dd><span class={`badge status-${e.status}`} data-testid="status">{e.status}</span>
                {e.stoppedBy && <span class="hint"> stopped by {e.stoppedBy}</span>}</dd>
              <dt>Flag</dt><dd><a href={route('flags', e.flag)}>{e.flag}</a> in {e.environment}</dd>
              <dt>Arms</dt><dd>{Object.entries(e.weights).map(([v, w]) => `${v} ${w}${v === e.control ? ' (control)' : ''}`).join(', ')}</dd>
              <dt>Metrics</dt><dd>{e.metrics.map((m) => `${m.name} (${m.kind}${m.name === e.primaryMetric ? ', primary' : ''})`).join(', ')}</dd>
              <dt>Planning</dt><dd>α {e.alpha}, power {e.power}, minimum detectable effect {e.minimumDetectableEffect}</dd>
              <dt>Auto-stop</dt><dd>{e.autoStop.enabled ? `on, at least ${e.autoStop.minUnitsPerVariant} units per variant` : 'off'}</dd>
              {e.winner && <><dt>Winner</dt><dd>{e.winner}</dd></>}
            </dl>
            {writer && TRANSITIONS[e.status].length > 0 && (
              <div class="actions" role="group" aria-label="lifecycle">
                {TRANSITIONS[e.status].includes('start') && <button type="button" class="primary" onClick={() => move('start')}>Start</button>}
                {TRANSITIONS[e.status].includes('stop') && <button type="button" onClick={() => move('stop')}>Stop</button>}
                {TRANSITIONS[e.status].includes('conclude') && (
                  <>
                    <label for="experiment-winner">Winner</label> <select id="experiment-winner" value={winner} onChange={(ev) => setWinner(ev.currentTarget.value)}>
                      <option value="">no winner</option>{Object.keys(e.weights).map((v) => <option key={v}>{v}</option>)}
                    </select>
                    <button type="button" class="primary" onClick={() => move('conclude')}>Conclude</button>
                  </>)}
              </div>)}
            <Failure error={error} />
            {e.status === 'draft' ? <p>A draft has no results: start it to take events.</p>
              : <ResultsView experiment={e} />}
          </>
        );
      }}</Loading>
    </section>
  );
}

/** The planned units per variant: the sample-size calculator on the control arm's spread and the planned effect. */
async function plannedUnits(e: Experiment, results: Results): Promise<number | null> {
  const control = results.variants[e.control]?.metrics[e.primaryMetric];
  const kind = e.metrics.find((m) => m.name === e.primaryMetric)?.kind;
  if (!control || control.mean === null || control.variance === null) {
    return null;
  }
  const spread = kind === 'proportion' ? { baselineRate: control.mean } : { standardDeviation: Math.sqrt(control.variance) };
  try {
    const answer = await request<{ perVariant: number }>('POST', '/api/v1/stats/sample-size',
      { ...spread, minimumDetectableEffect: e.minimumDetectableEffect, alpha: e.alpha, power: e.power });
    return answer.data.perVariant;
  } catch {
    return null;
  }
}

function ResultsView({ experiment: e }: { experiment: Experiment }) {
  const path = `/api/v1/experiments/${encodeURIComponent(e.key)}/results`;
  const follows = (c: { kind: string; key: string }) => EXPERIMENT_CHANGES(c.kind) && c.key === e.key;
  const results = useLoad(async () => {
    const document = await get<Results>(path);
    return { document, planned: await plannedUnits(e, document) };
  }, [path, e.version], follows);
  return (
    <Loading loaded={results}>{() => {
      const { document: r, planned } = results.data!;
      const treatments = Object.keys(e.weights).filter((v) => v !== e.control);
      return (
        <>
          <div class="actions"><h2>Results</h2><button type="button" onClick={results.reload}>Refresh</button></div>
          {r.srm.mismatch && (
            <p class="conflict" role="alert" data-testid="srm-warning"><strong>Sample ratio mismatch:</strong> the units per variant
              do not match the weights (p = {p(r.srm.pValue)}). Assignment or event reporting is broken; no
              comparison below can be trusted until it is fixed.</p>)}
          <dl class="answer" aria-label="decision">
            <dt>Decision</dt><dd data-testid="decision">{r.decision.stop ? 'stop' : 'keep running'}: {r.decision.reason}
              {r.decision.winner && ` (winner: ${r.decision.winner})`}</dd>
            <dt>Sample ratio check</dt><dd data-testid="srm">{r.srm.error ?? `p = ${p(r.srm.pValue)}, ${r.srm.mismatch ? 'mismatch' : 'no mismatch'}`}</dd>
          </dl>
          <h3>Progress toward the planned sample size</h3>
          {planned === null ? <p class="hint">Not known yet: the control arm needs at least two units with some spread.</p> : (
            <ul class="progress">{Object.entries(r.variants).map(([variant, v]) => (
              <li key={variant}><label>{variant}: {v.units} of {planned} units
                <progress max={planned} value={Math.min(v.units, planned)} /></label></li>))}
            </ul>)}
          {e.metrics.map((metric) => (
            <Wide key={metric.name} label={`${metric.name} per variant`}>
              <table class="results" data-metric={metric.name}>
                <caption>{metric.name} ({metric.kind}){metric.name === e.primaryMetric ? ', primary' : ''}</caption>
                <thead><tr><th scope="col">Variant</th><th scope="col">Units</th><th scope="col">Mean [{percent(1 - e.alpha)} interval]</th>
                  <th scope="col">Difference to control</th><th scope="col">Relative lift</th><th scope="col">p-value</th>
                  {metric.name === e.primaryMetric && <th scope="col">Always-valid p-value</th>}</tr></thead>
                <tbody>{Object.entries(r.variants).map(([variant, v]) => {
                  const m = v.metrics[metric.name]!;
                  const comparison = r.comparisons[variant]?.[metric.name];
                  const lift = comparison?.relativeLift ?? r.bayesian[variant]?.[metric.name]?.credibleInterval;
                  return (
                    <tr key={variant} data-variant={variant}>
                      <th scope="row">{variant}{variant === e.control && ' (control)'}</th>
                      <td data-field="units">{m.units}</td>
                      <td data-field="mean">{meanInterval(m, e.alpha)}</td>
                      {variant === e.control ? <td colSpan={metric.name === e.primaryMetric ? 4 : 3}>baseline</td> : (
                        <>
                          <td>{comparison?.error ?? interval(comparison?.difference)}</td>
                          <td>{interval(lift, percent)}{!comparison?.relativeLift && lift && <span class="hint"> (Bayesian)</span>}</td>
                          <td>{p(comparison?.pValue)}</td>
                          {metric.name === e.primaryMetric && <td data-field="always-valid">{r.sequential[variant]?.error ?? fixed(r.sequential[variant]?.alwaysValidPValue)}</td>}
                        </>)}
                    </tr>);
                })}</tbody>
              </table>
            </Wide>))}
          <ResultsChart experiment={e} treatments={treatments} version={JSON.stringify(r.variants)} />
        </>
      );
    }}</Loading>
  );
}
