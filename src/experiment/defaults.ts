/**
 * What an experiment reports when its config does not say: the headline metrics of each model (names as
 * the result documents spell them, contract.ts) and one question per sweep axis: how the metrics change
 * along it, or, with other axes, which of its values does best at each value of the next axis.
 */
import type { MetricSpec, ModelKind, Question, SweepAxis } from './contract.ts';

const TOPOLOGY: MetricSpec[] = [
  { name: 'hitRatio', label: 'hit ratio', direction: 'higher', unit: 'ratio' },
  { name: 'latencyMs.p99', label: 'p99 latency', direction: 'lower', unit: 'ms' },
  { name: 'origin.peakQps', label: 'origin peak QPS', direction: 'lower', unit: 'qps' },
  { name: 'staleReadRatio', label: 'stale reads', direction: 'lower', unit: 'ratio' },
];

const REPLAY: MetricSpec[] = [
  { name: 'missRatio', label: 'miss ratio', direction: 'lower', unit: 'ratio' },
  { name: 'byteMissRatio', label: 'byte miss ratio', direction: 'lower', unit: 'ratio' },
  { name: 'beladyMissRatio', label: 'Belady miss ratio', direction: 'lower', unit: 'ratio' },
  { name: 'compulsoryMissRatio', label: 'compulsory miss ratio', direction: 'lower', unit: 'ratio' },
];

export function defaultMetrics(model: ModelKind): MetricSpec[] {
  return (model === 'replay' ? REPLAY : TOPOLOGY).map((m) => ({ ...m }));
}

export function defaultQuestions(axes: readonly SweepAxis[], metrics: readonly MetricSpec[]): Question[] {
  const names = metrics.map((m) => m.label ?? m.name).join(', ');
  return axes.map((a, i) => {
    if (axes.length === 1)
      return {
        title: `How ${names} change with ${a.name}`,
        metrics: metrics.map((m) => m.name),
        axis: a.name,
      };
    // A report compares a question's series at each value of its axis (report/questions.ts): to be about
    // `a`, the question draws `a` as the series, along the next axis (policies compared at each size).
    const along = axes[(i + 1) % axes.length].name;
    return {
      title: `Which ${a.name} is best on ${names}, at each ${along}`,
      metrics: metrics.map((m) => m.name),
      axis: along,
      series: a.name,
    };
  });
}
