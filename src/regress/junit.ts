/**
 * The gate's verdicts as JUnit XML, the test-report format every CI system displays (Jenkins, GitLab,
 * GitHub Actions through reporters): one testcase per metric × parameter group, a failure for each
 * regression with a message naming the metric. Incomparable runs become one testcase with an error.
 * No timestamps or durations, so the same comparison gives the same bytes.
 */
import { type Comparison, groupLabel } from './compare.ts';
import { formatDelta, formatNumber, formatP, formatTolerance } from './format.ts';

/** Text escaped for XML attribute values and character data (also drops characters XML 1.0 forbids). */
export function xmlEscape(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing exactly the characters XML forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

export function junitXml(c: Comparison): string {
  const suite = xmlEscape(c.experiment);
  const cls = `cachetopo.regress.${suite}`;
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  if (c.problems.length > 0) {
    errors = 1;
    const message = xmlEscape(`the run cannot be compared with the baseline: ${c.problems[0]}`);
    cases.push(
      `    <testcase classname="${cls}" name="baseline is comparable">\n` +
        `      <error message="${message}" type="incomparable">${xmlEscape(c.problems.join('\n'))}</error>\n` +
        '    </testcase>',
    );
  }
  for (const r of c.rows) {
    const name = xmlEscape(`${r.metric} [${groupLabel(r.params)}]`);
    if (r.verdict !== 'regression') {
      cases.push(`    <testcase classname="${cls}" name="${name}"/>`);
      continue;
    }
    failures++;
    const detail = [
      `baseline ${formatNumber(r.baseline.mean)} (values ${r.baseline.values.map(formatNumber).join(', ')})`,
      `now ${formatNumber(r.now.mean)} (values ${r.now.values.map(formatNumber).join(', ')})`,
      `delta ${formatDelta(r)}, tolerance ${formatTolerance(r.tolerance)}, p ${formatP(r.p)}`,
      `${r.direction} is better`,
    ].join('\n');
    cases.push(
      `    <testcase classname="${cls}" name="${name}">\n` +
        `      <failure message="${xmlEscape(`regression: ${r.reason}`)}" type="regression">${xmlEscape(detail)}</failure>\n` +
        '    </testcase>',
    );
  }
  const tests = cases.length;
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}"`;
  const out = c.notes.length > 0 ? `    <system-out>${xmlEscape(c.notes.join('\n'))}</system-out>\n` : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="cachetopo regress" ${counts}>\n` +
    `  <testsuite name="${suite}" ${counts} skipped="0">\n` +
    (cases.length > 0 ? `${cases.join('\n')}\n` : '') +
    out +
    '  </testsuite>\n' +
    '</testsuites>\n'
  );
}
