import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Baseline, BaselineEntry } from '../../src/experiment/contract.ts';
import { compare } from '../../src/regress/compare.ts';
import { junitXml, xmlEscape } from '../../src/regress/junit.ts';
import { markdownSummary } from '../../src/regress/markdown.ts';

const entry = (metric: string, params: Record<string, string>, values: number[]): BaselineEntry => ({
  metric,
  direction: 'lower',
  tolerance: { abs: 0.01 },
  params,
  seeds: values.map((_, i) => i + 1),
  values,
});

const run = (entries: BaselineEntry[], over: Partial<Baseline> = {}): Baseline => ({
  format: 'cachetopo-baseline/1',
  experiment: 'a<b & "c"',
  codeVersion: 'v1',
  configHash: 'h',
  traceHash: 't',
  entries,
  ...over,
});

const before = run([
  entry('missRatio', { policy: 'lru' }, [0.3]),
  entry('missRatio', { policy: 'sieve' }, [0.2]),
  entry('latencyMs.p99', { policy: 'lru' }, [4]),
  entry('latencyMs.p99', { policy: 'sieve' }, [3]),
]);
const after = run(
  [
    entry('missRatio', { policy: 'lru' }, [0.35]),
    entry('missRatio', { policy: 'sieve' }, [0.2]),
    entry('latencyMs.p99', { policy: 'lru' }, [4]),
    entry('latencyMs.p99', { policy: 'sieve' }, [2]),
  ],
  { codeVersion: 'v2' },
);

/** Parses XML with Python's expat-based ElementTree and returns the counts of the first suite, or null. */
function parseWithPython(
  xml: string,
): { tests: string; failures: string; errors: string; cases: string[][] } | null {
  const probe = spawnSync('python3', ['-c', 'import xml.etree.ElementTree'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    if (process.env.CI === 'true')
      throw new Error('python3 is required under CI=true to check the JUnit XML');
    console.warn('skipping the XML parse: python3 is not installed');
    return null;
  }
  const script = [
    'import sys, json, xml.etree.ElementTree as ET',
    'root = ET.fromstring(sys.stdin.read())',
    's = root.find("testsuite")',
    'cases = [[c.get("name"), ",".join(x.tag for x in c)] for c in s.findall("testcase")]',
    'print(json.dumps({"tests": s.get("tests"), "failures": s.get("failures"), "errors": s.get("errors"), "cases": cases}))',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not well-formed XML: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('junitXml', () => {
  it('is well-formed, with one testcase per metric and group and a failure naming each regression', () => {
    const xml = junitXml(compare(before, after));
    expect(xml).toContain(
      '<failure message="regression: missRatio [policy=lru] rose by 0.05, beyond its tolerance 0.01 (no test with one seed)" type="regression">',
    );
    const parsed = parseWithPython(xml);
    if (parsed === null) return;
    expect(parsed).toEqual({
      tests: '4',
      failures: '1',
      errors: '0',
      cases: [
        ['missRatio [policy=lru]', 'failure'],
        ['missRatio [policy=sieve]', ''],
        ['latencyMs.p99 [policy=lru]', ''],
        ['latencyMs.p99 [policy=sieve]', ''],
      ],
    });
  });

  it('reports an incomparable baseline as one error', () => {
    const xml = junitXml(compare(before, run(after.entries, { traceHash: 'u' })));
    const parsed = parseWithPython(xml);
    if (parsed === null) return;
    expect(parsed).toEqual({
      tests: '1',
      failures: '0',
      errors: '1',
      cases: [['baseline is comparable', 'error']],
    });
  });

  it('escapes markup and drops characters XML forbids', () => {
    expect(xmlEscape(`a<b>&"c"'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;');
  });
});

describe('markdownSummary', () => {
  it('has a headline, the notes and one table row per comparison', () => {
    const md = markdownSummary(compare(before, after));
    const lines = md.split('\n');
    expect(lines[0]).toBe('### ❌ cachetopo regress `a<b & "c"`: 1 regression, 1 improvement');
    expect(lines).toContain('- the code changed since the baseline (v1 → v2)');
    expect(lines).toContain('| metric | group | baseline | now | delta | tolerance | p | verdict |');
    expect(lines).toContain(
      '| missRatio | policy=lru | 0.3 | 0.35 | +0.05 (+16.67%) | 0.01 | - | **regression** |',
    );
    expect(lines).toContain(
      '| latencyMs.p99 | policy=sieve | 3 | 2 | -1 (-33.33%) | 0.01 | - | improvement |',
    );
    expect(lines.filter((l) => l.startsWith('| ')).length).toBe(5);
  });

  it('says why a baseline cannot be compared', () => {
    const md = markdownSummary(compare(before, run(after.entries, { traceHash: 'u' })));
    expect(md).toContain('cannot compare with the baseline');
    expect(md).toContain('- traceHash: the baseline was measured on another trace (t…, now u…)');
  });
});
