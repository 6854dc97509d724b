/**
 * What every chart builder shares: the spec type (vega-lite's TopLevelSpec, kept within what the v5
 * schema reads, because notebooks render the 'application/vnd.vegalite.v5+json' mime type), sizes, axis
 * formats by unit, and the legend toggle (a point selection bound to the legend: click an entry to fade
 * the others) used by every chart with a colour legend.
 */
import type { TopLevelSpec } from 'vega-lite';

export type VegaLiteSpec = TopLevelSpec;

export interface ChartSpec {
  /** File-name safe and unique within a report. */
  id: string;
  title: string;
  spec: VegaLiteSpec;
}

export const WIDTH = 440;
export const HEIGHT = 240;

/** A chart titled with its own title, around a vega-lite body (the spec without its title). */
export function chart(input: { id: string; title: string }, body: object): ChartSpec {
  return { id: input.id, title: input.title, spec: { title: input.title, ...body } as VegaLiteSpec };
}

/** The body of one view of the standard size drawing `layer`; `values` when the layers share their data. */
export function layeredView(layer: object[], values?: readonly object[]): object {
  return { width: WIDTH, height: HEIGHT, ...(values === undefined ? {} : { data: { values } }), layer };
}

/** d3-format of an axis of the unit. */
export function axisFormat(unit: string): string {
  return unit === 'ratio' ? '.1%' : '~s';
}

export function unitTitle(label: string, unit: string): string {
  return unit === '' || unit === 'ratio' ? label : `${label} (${unit})`;
}

/** The selection a legend toggles: click an entry to highlight it, shift-click for several. */
export function legendToggle(name: string, field: string) {
  return { name, select: { type: 'point' as const, fields: [field] }, bind: 'legend' as const };
}

/** Full opacity for the selected legend entries (all of them when none is selected). */
export function toggledOpacity(name: string) {
  return { condition: { param: name, value: 1 }, value: 0.15 };
}

/** An identifier safe in file names and HTML ids. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'chart'
  );
}
