/**
 * Charts to SVG in Node, for the Markdown report and the notebooks' fallback image: vega-lite compiles the
 * spec to vega, and a vega View with the headless renderer ('none') writes SVG with real <text> labels
 * (no canvas, no browser). Warnings from either compiler are collected, not printed, so a report run
 * keeps stderr quiet and tests can assert there were none. Both load on the first chart: vega alone takes
 * ~0.35 s to import, which every other command would pay at start-up.
 */
import type { View } from 'vega';
import type { VegaLiteSpec } from './charts/common.ts';

export interface RenderedSvg {
  svg: string;
  warnings: string[];
}

type Logger = NonNullable<NonNullable<ConstructorParameters<typeof View>[1]>['logger']>;

/** A logger (vega's interface, which vega-lite shares) that keeps warnings and throws errors. */
class Collector implements Logger {
  readonly warnings: string[] = [];
  level(): number {
    return 2;
  }
  error(...args: unknown[]): this {
    throw new Error(args.map(String).join(' '));
  }
  warn(...args: unknown[]): this {
    this.warnings.push(args.map(String).join(' '));
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

export async function renderSvg(spec: VegaLiteSpec): Promise<RenderedSvg> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const logger = new Collector();
  const vg = compile(spec, { logger }).spec;
  const view = new View(parse(vg), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return { svg, warnings: logger.warnings };
  } finally {
    view.finalize();
  }
}
