/** `cachetopo schema`: the JSON Schema of a config kind, valid JSON that editors can use. */
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DURATION_PATTERN, durationField, sizeField } from '../../src/config/fields.ts';
import { configKinds } from '../../src/config/kinds.ts';
import { configJsonSchema, schemaCommand } from '../../src/config/schema-cli.ts';
import { InputError } from '../../src/errors.ts';
import { cli } from '../helpers/cli.ts';

const demo = z.strictObject({
  tiers: z.array(z.strictObject({ name: z.string(), capacity: sizeField })).min(1),
  routes: z.record(z.string(), z.strictObject({ tier: z.string() })).optional(),
  timeout: durationField.prefault('1s'),
});

type Json = Record<string, unknown>;

/** Runs `cachetopo schema` in-process on the given kinds; returns what it printed. */
async function runSchema(kinds: Record<string, z.ZodType>, ...args: string[]): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await schemaCommand(kinds).exitOverride().parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('cachetopo schema', () => {
  it('prints the input-side JSON Schema of the kind, annotations allowed in every object', async () => {
    const json = JSON.parse(await runSchema({ demo }, '--kind', 'demo')) as Json;
    expect(json.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(json.title).toBe('cachetopo demo config');
    expect(json.required).toEqual(['tiers']); // timeout has a default: a person may leave it out
    expect(json.additionalProperties).toBe(false);
    const props = json.properties as Record<string, Json>;
    expect(Object.keys(props).sort()).toEqual([
      '$schema',
      'comment',
      'extends',
      'routes',
      'tiers',
      'timeout',
    ]);
    const tier = (props.tiers.items as Json).properties as Json;
    expect(Object.keys(tier).sort()).toEqual(['$schema', 'capacity', 'comment', 'extends', 'name']);
    // A record's values are objects too, and the record itself may carry a comment.
    const routes = props.routes;
    expect(Object.keys(routes.properties as Json).sort()).toEqual(['$schema', 'comment', 'extends']);
    expect(Object.keys((routes.additionalProperties as Json).properties as Json).sort()).toEqual([
      '$schema',
      'comment',
      'extends',
      'tier',
    ]);
    expect(props.timeout.$ref).toBe('#/$defs/duration');
    expect(((json.$defs as Record<string, Json>).duration.anyOf as Json[])[1]).toEqual({
      type: 'string',
      pattern: DURATION_PATTERN,
    });
    expect(props.timeout.default).toBe('1s'); // the written form, as prefault gives it
  });

  it('leaves data keywords alone (a default object is not a schema)', () => {
    const s = z.strictObject({ opts: z.record(z.string(), z.number()).default({ type: 1 }) });
    const json = configJsonSchema(s, 'x') as { properties: { opts: { default: unknown } } };
    expect(json.properties.opts.default).toEqual({ type: 1 });
  });

  it('refuses an unknown kind, listing the known ones', async () => {
    await expect(runSchema({ demo }, '--kind', 'topolgy')).rejects.toThrow(
      new InputError('--kind: expected one of demo, got "topolgy"'),
    );
  });

  it('prints the experiment schema by default, so `cachetopo schema > experiments/schema.json` works', async () => {
    const json = JSON.parse(await runSchema(configKinds)) as Json;
    expect(json.title).toBe('cachetopo experiment config');
    // A topology experiment (the topology config and the sweep keys), or a replay experiment.
    const [topology, replay] = (json.anyOf as Json[]).map((a) => Object.keys(a.properties as Json));
    expect(topology).toEqual(
      expect.arrayContaining(['tiers', 'sweep', 'seeds', 'metrics', 'questions', 'cost']),
    );
    expect(replay).toEqual(expect.arrayContaining(['model', 'workload', 'replay', 'sweep', 'seeds']));
  });

  it('runs from the command line: exit 2 and one line for an unknown kind, JSON for each registered kind', () => {
    const bad = cli('schema', '--kind', 'no-such-kind');
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toContain('--kind: expected');
    expect(cli('schema', '--help').out).toMatch(/Usage: cachetopo schema/);
    for (const kind of Object.keys(configKinds)) {
      const r = cli('schema', '--kind', kind);
      expect(r.code, kind).toBe(0);
      const json = JSON.parse(r.out) as Json;
      expect(json.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(json.properties ?? json.anyOf).toBeTypeOf('object');
    }
  });
});
