// The results over time (GET .../results/history) drawn by uPlot on a canvas, with the same figures as a table for
// screen readers and anyone who wants the numbers. uPlot styles through the CSSOM and its stylesheet is bundled as a
// file, so it runs under the console's policy (no inline style).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { get } from './api';
import type { Experiment } from './experiments';
import { Loading, useLoad, Wide } from './ui';

interface Bound { estimate?: number | null; lower?: number | null; upper?: number | null }
interface Point {
  time: string; sequence: number; status: string; units: Record<string, number>;
  metrics: Record<string, Record<string, { difference?: Bound; alwaysValidPValue?: number | null; confidenceSequence?: Bound }>>;
}

const COLOURS = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c'];
const shown = (n: number | null | undefined, digits = 4) => (n === null || n === undefined ? '—' : n.toFixed(digits));

function Plot({ options, data, label }: { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const width = Math.max(280, Math.min(box.current!.clientWidth, 1100));
    const plot = new uPlot({ ...options, width, height: 240 }, data, box.current!);
    plot.root.querySelector('canvas')?.setAttribute('aria-hidden', 'true');
    return () => plot.destroy();
  }, [data]);
  return <div ref={box} class="chart" role="img" aria-label={label} />;
}

export function ResultsChart({ experiment: e, treatments, version }: { experiment: Experiment; treatments: string[]; version: string }) {
  const path = `/api/v1/experiments/${encodeURIComponent(e.key)}/results/history`;
  const history = useLoad(() => get<{ points: Point[]; truncated: boolean }>(path), [path, version]);
  return (
    <section aria-labelledby="over-time">
      <h2 id="over-time">{e.primaryMetric} over time</h2>
      <Loading loaded={history}>{() => {
        const points = history.data!.points;
        if (points.length === 0) {
          return <p>No analysis recorded yet: the history grows with each look at new events.</p>;
        }
        const times = points.map((p) => Date.parse(p.time) / 1000);
        const of = (t: string) => points.map((p) => p.metrics[e.primaryMetric]?.[t]);
        const differences: uPlot.AlignedData = [times, ...treatments.flatMap((t) => [
          of(t).map((m) => m?.difference?.estimate ?? null),
          of(t).map((m) => m?.confidenceSequence?.lower ?? null),
          of(t).map((m) => m?.confidenceSequence?.upper ?? null)])];
        const pValues: uPlot.AlignedData = [times, ...treatments.map((t) => of(t).map((m) => m?.alwaysValidPValue ?? null))];
        return (
          <>
            <div class="charts">
              <Plot label={`difference of ${treatments.join(', ')} to ${e.control} in ${e.primaryMetric} with its always-valid confidence sequence, by time; the table below has the figures`}
                data={differences} options={{
                  title: `Difference to ${e.control} with its confidence sequence`,
                  series: [{}, ...treatments.flatMap((t, i) => [
                    { label: `${t} − ${e.control}`, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true }, spanGaps: true },
                    { label: `${t} lower`, stroke: COLOURS[i % COLOURS.length], dash: [4, 4], spanGaps: true },
                    { label: `${t} upper`, stroke: COLOURS[i % COLOURS.length], dash: [4, 4], spanGaps: true }])],
                }} />
              <Plot label={`always-valid p-value of ${treatments.join(', ')} by time, against α ${e.alpha}; the table below has the figures`}
                data={pValues} options={{
                  title: `Always-valid p-value (α ${e.alpha})`,
                  scales: { y: { range: [0, 1] } },
                  series: [{}, ...treatments.map((t, i) => ({ label: t, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true }, spanGaps: true }))],
                }} />
            </div>
            <Wide label={`${e.primaryMetric} over time, as a table`}>
              <table class="history" data-testid="history-table">
                <caption>The figures of the charts: {points.length} analyses{history.data!.truncated ? ' (the newest)' : ''}</caption>
                <thead><tr><th scope="col">Time</th><th scope="col">Status</th>
                  {Object.keys(e.weights).map((v) => <th scope="col" key={v}>Units {v}</th>)}
                  {treatments.flatMap((t) => [<th scope="col" key={`${t}d`}>{t}: difference [confidence sequence]</th>,
                    <th scope="col" key={`${t}p`}>{t}: always-valid p</th>])}</tr></thead>
                <tbody>{points.map((p) => (
                  <tr key={p.sequence} data-sequence={p.sequence}>
                    <td>{new Date(p.time).toLocaleString()}</td><td>{p.status}</td>
                    {Object.keys(e.weights).map((v) => <td key={v} data-field={`units-${v}`}>{p.units[v] ?? 0}</td>)}
                    {treatments.flatMap((t) => {
                      const m = p.metrics[e.primaryMetric]?.[t];
                      return [<td key={`${t}d`}>{shown(m?.difference?.estimate)} [{shown(m?.confidenceSequence?.lower)}, {shown(m?.confidenceSequence?.upper)}]</td>,
                        <td key={`${t}p`} data-field={`always-valid-${t}`}>{shown(m?.alwaysValidPValue)}</td>];
                    })}
                  </tr>))}
                </tbody>
              </table>
            </Wide>
          </>
        );
      }}</Loading>
    </section>
  );
}
