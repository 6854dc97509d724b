/** Config loading: extends chains, annotations, all-at-once errors with JSON pointers, the provenance hash. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { canonicalJson } from '../../src/config/canonical.ts';
import { distributionField, durationField, positiveInt, sizeField } from '../../src/config/fields.ts';
import { deepMerge, loadConfig, resolveConfig, stripAnnotations } from '../../src/config/load.ts';
import { InputError } from '../../src/errors.ts';

/** Writes files (objects as JSON, strings as is) into a fresh directory; returns a path maker. */
function files(contents: Record<string, unknown>): (name: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'cachetopo-config-'));
  for (const [name, body] of Object.entries(contents)) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  }
  return (name) => join(dir, name);
}

/** Every line of the InputError `f` throws (message, then `more`). */
function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const err = e as InputError;
    return [err.message, ...err.more];
  }
  throw new Error('expected an InputError');
}

const anything = z.unknown();

const tier = z.strictObject({
  name: z.string(),
  capacity: sizeField,
  nodes: positiveInt.optional(),
  service: distributionField.optional(),
});
const topology = z.strictObject({
  topology: z.strictObject({ tiers: z.array(tier).min(1), timeout: durationField.optional() }),
  seed: z.number().int().optional(),
});

describe('deepMerge', () => {
  it('merges objects key by key, and replaces arrays, scalars and null whole', () => {
    const base = { a: { x: 1, y: [1, 2, 3], z: { p: 1 } }, b: 'base', c: [{ k: 1 }], d: { q: 1 } };
    const over = { a: { y: [9], z: { r: 2 } }, b: null, c: [{ j: 2 }], d: 5, e: true };
    expect(deepMerge(base, over)).toEqual({
      a: { x: 1, y: [9], z: { p: 1, r: 2 } },
      b: null,
      c: [{ j: 2 }],
      d: 5,
      e: true,
    });
    // An object over a scalar replaces it too.
    expect(deepMerge({ a: 1 }, { a: { b: 2 } })).toEqual({ a: { b: 2 } });
  });

  it('keeps "__proto__" a plain key instead of setting the prototype', () => {
    const over = JSON.parse('{"__proto__": {"polluted": 1}}') as unknown;
    const merged = deepMerge({ a: 1 }, over) as Record<string, unknown>;
    expect(Object.keys(merged)).toEqual(['a', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('stripAnnotations', () => {
  it('removes comment, $schema and extends at any depth, inside arrays of objects too', () => {
    const v = {
      $schema: './schema.json',
      comment: 'top',
      extends: 'base.json',
      a: { comment: ['a', 'list'], b: [{ comment: 'in array', c: 1, extends: 'x' }, [{ $schema: 1, d: 2 }]] },
      s: 'comment',
    };
    expect(stripAnnotations(v)).toEqual({ a: { b: [{ c: 1 }, [{ d: 2 }]] }, s: 'comment' });
  });
});

describe('loadConfig: extends', () => {
  it('follows a chain of relative paths and merges each child over its parent', () => {
    const p = files({
      'experiments/x.json': {
        $schema: '../schema.json',
        extends: 'bases/mid.json',
        topology: { tiers: [{ name: 'redis', capacity: '4GiB', comment: 'overrides the list' }] },
      },
      'experiments/bases/mid.json': { extends: '../../root.json', seed: 7, topology: { timeout: '2s' } },
      'root.json': {
        comment: 'root',
        seed: 1,
        topology: { tiers: [{ name: 'old', capacity: 1 }], timeout: 5 },
      },
    });
    const { config, raw, hash } = loadConfig(p('experiments/x.json'), topology);
    expect(config).toEqual({
      topology: { tiers: [{ name: 'redis', capacity: 4 * 2 ** 30 }], timeout: 2e9 },
      seed: 7,
    });
    expect(raw).toEqual({
      seed: 7,
      topology: { tiers: [{ name: 'redis', capacity: '4GiB' }], timeout: '2s' },
    });
    expect(hash).toBe(createHash('sha256').update(canonicalJson(raw)).digest('hex'));
    expect(resolveConfig(p('experiments/x.json')).files.map((f) => f.file)).toEqual([
      p('experiments/x.json'),
      p('experiments/bases/mid.json'),
      p('root.json'),
    ]);
  });

  it('refuses a cycle, naming the whole chain', () => {
    const p = files({
      'a.json': { extends: 'b.json' },
      'b.json': { extends: './c.json' },
      'c.json': { extends: 'b.json' },
    });
    expect(problems(() => loadConfig(p('a.json'), anything))).toEqual([
      `${p('c.json')}: /extends: expected a chain of configs without a cycle, got ${p('a.json')} -> ${p('b.json')} -> ${p('c.json')} -> ${p('b.json')}`,
    ]);
    const q = files({ 'self.json': { extends: 'self.json' } });
    expect(problems(() => loadConfig(q('self.json'), anything))[0]).toMatch(/self\.json -> .*self\.json$/);
  });

  it('names the extending file when the parent is missing, not an object, or extends is not a path', () => {
    const p = files({
      'a.json': { extends: 'missing.json' },
      'b.json': { extends: 'list.json' },
      'list.json': [1, 2],
      'c.json': { extends: 3 },
    });
    expect(problems(() => loadConfig(p('a.json'), anything))).toEqual([
      `${p('a.json')}: /extends: cannot read ${p('missing.json')}: no such file`,
    ]);
    expect(problems(() => loadConfig(p('b.json'), anything))).toEqual([
      `${p('list.json')}: expected a JSON object at the top level (${p('b.json')} extends it), got [1,2]`,
    ]);
    expect(problems(() => loadConfig(p('c.json'), anything))).toEqual([
      `${p('c.json')}: /extends: expected the path of the config this one extends (relative to it), got 3`,
    ]);
    expect(problems(() => loadConfig(p('nope.json'), anything))).toEqual([
      `${p('nope.json')}: cannot read: no such file`,
    ]);
  });
});

describe('loadConfig: validation errors', () => {
  it('reports every problem at once, each with its JSON pointer, the bad value and what was expected', () => {
    const p = files({
      'x.json': {
        topology: {
          tiers: [
            { name: 'redis', capacity: '4 gigs', nodes: 0 },
            { name: 'mc', capacity: '64MiB', service: { dist: 'uniform', min: '3ms', max: '1ms' } },
          ],
          timeout: '-1s',
        },
        seed: 1.5,
      },
    });
    const x = p('x.json');
    expect(problems(() => loadConfig(x, topology))).toEqual([
      `${x}: /topology/tiers/0/capacity: expected a size like "4GiB", got "4 gigs"`,
      `${x}: /topology/tiers/0/nodes: expected a whole number >= 1, got 0`,
      `${x}: /topology/tiers/1/service/max: expected max >= min`,
      `${x}: /topology/timeout: expected a duration (a number of ms >= 0, or a string like "250us", "0.1ms", "2s"), got "-1s"`,
      `${x}: /seed: expected an integer, got 1.5`,
    ]);
  });

  it('lists unknown keys with the keys allowed there, annotations aside', () => {
    const p = files({
      'x.json': {
        topology: { tiers: [{ name: 'r', capacity: 1, capcity: 2, comment: 'fine' }], timeuot: 1 },
        service: 1,
      },
    });
    const x = p('x.json');
    expect(problems(() => loadConfig(x, topology))).toEqual([
      `${x}: /topology/tiers/0/capcity: unknown field, expected one of name, capacity, nodes, service`,
      `${x}: /topology/timeuot: unknown field, expected one of tiers, timeout`,
      `${x}: /service: unknown field, expected one of topology, seed`,
    ]);
  });

  it('names the file of the chain that wrote each bad value', () => {
    const p = files({
      'child.json': { extends: 'base.json', topology: { tiers: [{ name: 'r', capacity: 'big' }] } },
      'base.json': {
        topology: { tiers: [{ name: 'ok', capacity: 1 }], timeout: 'soon', extra: 1 },
        seed: 'x',
      },
    });
    const [c, b] = [p('child.json'), p('base.json')];
    expect(problems(() => loadConfig(c, topology))).toEqual([
      `${c}: /topology/tiers/0/capacity: expected a size like "4GiB", got "big"`,
      `${b}: /topology/timeout: expected a duration (a number of ms >= 0, or a string like "250us", "0.1ms", "2s"), got "soon"`,
      `${b}: /topology/extra: unknown field, expected one of tiers, timeout`,
      `${b}: /seed: expected a number, got "x"`,
    ]);
    // A child array replaces the parent's whole, so a field missing inside it is the child's to add.
    const q = files({
      'child.json': { extends: 'base.json', topology: { tiers: [{ name: 'r' }] } },
      'base.json': { topology: { tiers: [{ name: 'ok', capacity: 1 }] } },
    });
    expect(problems(() => loadConfig(q('child.json'), topology))).toEqual([
      `${q('child.json')}: /topology/tiers/0/capacity: expected a size like "4GiB", got nothing`,
    ]);
  });

  it('escapes "/" and "~" in keys of the pointer (RFC 6901)', () => {
    const routes = z.strictObject({ routes: z.record(z.string(), z.strictObject({ tier: z.string() })) });
    const p = files({ 'r.json': { routes: { '/api/v~1': { tier: 'a', teir: 'b' } } } });
    expect(problems(() => loadConfig(p('r.json'), routes))).toEqual([
      `${p('r.json')}: /routes/~1api~1v~01/teir: unknown field, expected one of tier`,
    ]);
  });

  it('reports a JSON syntax error with file, line and column', () => {
    const p = files({ 'bad.json': '{\n  "seed": 1,\n  "topology": {"tiers": [],}\n}\n' });
    expect(problems(() => loadConfig(p('bad.json'), anything))).toEqual([
      `${p('bad.json')}:3:28: JSON: expected a property name in double quotes, got '}' (JSON allows no comma before the closing brace)`,
    ]);
  });
});

describe('loadConfig: hash', () => {
  it('is the SHA-256 of the canonical JSON, the same whatever the key order, spacing or annotations', () => {
    const p = files({
      'a.json': '{"seed": 1, "topology": {"tiers": [{"name": "r", "capacity": "1KiB"}]}}',
      'b.json':
        '{\n "comment": "same run", "topology": { "tiers": [ {"capacity": "1KiB", "name": "r"} ] },\n "seed": 1 }',
      'c.json': '{"seed": 2, "topology": {"tiers": [{"name": "r", "capacity": "1KiB"}]}}',
    });
    const a = loadConfig(p('a.json'), topology).hash;
    const canonical = '{"seed":1,"topology":{"tiers":[{"capacity":"1KiB","name":"r"}]}}';
    expect(a).toBe(createHash('sha256').update(canonical).digest('hex'));
    expect(loadConfig(p('b.json'), topology).hash).toBe(a);
    expect(loadConfig(p('c.json'), topology).hash).not.toBe(a);
  });
});
