/**
 * Plain-text tables for the terminal, shared by every command that prints one (run, replay, mrc, trace
 * inspect, calibrate, regress) so they all align alike: columns two spaces apart, text padded on the right
 * and numbers on the left so their digits line up, no trailing blanks.
 */

export interface ColumnsOptions {
  /**
   * One letter per column, 'l' (left-aligned) or 'r' (right-aligned); columns past its end are 'r', so
   * 'll' names the two leading text columns of a table of numbers.
   */
  align: string;
  /** A line of dashes under the first row, the width of each column. */
  rule?: boolean;
}

/** The rows (all of the same length) as aligned lines. */
export function columns(rows: readonly (readonly string[])[], opts: ColumnsOptions): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, c) => (opts.align[c] === 'l' ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  const lines = rows.map(line);
  if (opts.rule) lines.splice(1, 0, line(widths.map((w) => '-'.repeat(w))));
  return lines;
}
