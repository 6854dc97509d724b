/**
 * The gate's verdicts as a Markdown summary for a CI step summary ($GITHUB_STEP_SUMMARY) or a pull-request
 * comment: a headline with the outcome, the notes (what changed since the baseline), and the diff table.
 */
import { ALPHA, type Comparison, regressions } from './compare.ts';
import { rowCells, TABLE_HEADER } from './format.ts';

/** A table cell: pipes and line breaks would end the cell or the row. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function headline(c: Comparison): string {
  if (c.problems.length > 0) return 'cannot compare with the baseline';
  const n = regressions(c).length;
  const better = c.rows.filter((r) => r.verdict === 'improvement').length;
  const outcome = n === 0 ? 'no regression' : `${n} regression${n === 1 ? '' : 's'}`;
  return better === 0 ? outcome : `${outcome}, ${better} improvement${better === 1 ? '' : 's'}`;
}

export function markdownSummary(c: Comparison): string {
  const failed = c.problems.length > 0 || regressions(c).length > 0;
  const lines = [`### ${failed ? '❌' : '✅'} cachetopo regress \`${c.experiment}\`: ${headline(c)}`, ''];
  if (c.problems.length > 0) {
    lines.push(...c.problems.map((p) => `- ${p}`), '', 'Run with `--update` after a deliberate change.', '');
    return `${lines.join('\n')}`;
  }
  if (c.notes.length > 0) lines.push(...c.notes.map((n) => `- ${n}`), '');
  lines.push(
    `| ${TABLE_HEADER.join(' | ')} |`,
    `|${TABLE_HEADER.map((_, i) => (i < 2 ? '---' : i === TABLE_HEADER.length - 1 ? ':---:' : '---:')).join('|')}|`,
    ...c.rows.map((r) => {
      const cells = rowCells(r).map(cell);
      if (r.verdict === 'regression') cells[cells.length - 1] = '**regression**';
      return `| ${cells.join(' | ')} |`;
    }),
    '',
    `A metric regresses when its mean moves the worse way by more than its tolerance and a t-test gives ` +
      `p < ${ALPHA}: paired on the per-seed differences when both sides ran the same seeds, Welch's otherwise.`,
    '',
  );
  return lines.join('\n');
}
