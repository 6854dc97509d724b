/**
 * The trade-off between tail latency, staleness and cost: one point per configuration (p99 against the
 * stale-read ratio, area by cost when the experiment priced its designs), with the Pareto front — the
 * configurations no other beats on every one of the three at once — highlighted and joined. Everything
 * off the front is a design some other design dominates.
 */
import { type ChartSpec, chart, layeredView, legendToggle, toggledOpacity } from './common.ts';

export interface TradeoffPoint {
  config: string;
  p99: number;
  stale: number;
  /** Dollars per hour of the design, when a cost model is given. */
  cost: number | null;
}

/** Whether a is at least as good as b everywhere (lower is better) and strictly better somewhere. */
function dominates(a: TradeoffPoint, b: TradeoffPoint): boolean {
  const dims: [number, number][] = [
    [a.p99, b.p99],
    [a.stale, b.stale],
  ];
  if (a.cost !== null && b.cost !== null) dims.push([a.cost, b.cost]);
  return dims.every(([x, y]) => x <= y) && dims.some(([x, y]) => x < y);
}

/** The indices of the points no other point dominates. */
export function paretoFront(points: readonly TradeoffPoint[]): Set<number> {
  const out = new Set<number>();
  points.forEach((p, i) => {
    if (!points.some((q, j) => j !== i && dominates(q, p))) out.add(i);
  });
  return out;
}

export function tradeoffChart(input: { id: string; title: string; points: TradeoffPoint[] }): ChartSpec {
  const front = paretoFront(input.points);
  const priced = input.points.some((p) => p.cost !== null);
  const rows = input.points.map((p, i) => ({ ...p, front: front.has(i) ? 'Pareto front' : 'dominated' }));
  const x = {
    field: 'p99',
    type: 'quantitative' as const,
    title: 'p99 latency (ms)',
    scale: { zero: false },
  };
  const y = {
    field: 'stale',
    type: 'quantitative' as const,
    title: 'stale-read ratio',
    axis: { format: '.2%' },
  };
  return chart(
    input,
    layeredView(
      [
        {
          transform: [{ filter: "datum.front === 'Pareto front'" }],
          mark: { type: 'line', color: '#e45756', strokeDash: [4, 3] },
          encoding: { x, y, order: { field: 'p99' } },
        },
        {
          params: [legendToggle('pick', 'front')],
          mark: { type: 'point', filled: true },
          encoding: {
            x,
            y,
            color: {
              field: 'front',
              type: 'nominal',
              title: null,
              scale: { domain: ['Pareto front', 'dominated'], range: ['#e45756', '#9e9e9e'] },
            },
            ...(priced ? { size: { field: 'cost', type: 'quantitative', title: 'cost ($/h)' } } : {}),
            opacity: toggledOpacity('pick'),
            tooltip: [
              { field: 'config', title: 'configuration' },
              { field: 'p99', title: 'p99 (ms)', format: '.3f' },
              { field: 'stale', title: 'stale reads', format: '.3%' },
              ...(priced ? [{ field: 'cost', title: '$/h', format: '.3f' }] : []),
            ],
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 7, fontSize: 10 },
          encoding: { x, y, text: { field: 'config' } },
        },
      ],
      rows,
    ),
  );
}
