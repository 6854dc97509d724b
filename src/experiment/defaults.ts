/**
 * What an experiment reports when its config does not say: the headline metrics of each model (names as
 * the result documents spell them, contract.ts) and one question per sweep axis, drawn against the next
 * axis as series when there is one.
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
  return axes.map((a, i) => {
    const series = axes.length > 1 ? axes[(i + 1) % axes.length].name : undefined;
    return {
      title: `How ${metrics.map((m) => m.label ?? m.name).join(', ')} change with ${a.name}`,
      metrics: metrics.map((m) => m.name),
      axis: a.name,
      ...(series === undefined ? {} : { series }),
    };
  });
}
