/**
 * `cachetopo schema [--kind <name>]`: prints the JSON Schema of a config kind (config/kinds.ts), so that
 * `cachetopo schema > experiments/schema.json` and a `"$schema": "./schema.json"` line give editors
 * completion and checking from the very validator `loadConfig` runs.
 *
 * The schema describes what a person writes (zod's input side: "64MiB" rather than bytes, defaults
 * optional). Strict objects forbid unknown keys, as the loader does, except the annotations the loader
 * removes (`comment`, `$schema`, `extends`), which are added to every object here.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { InputError } from '../errors.ts';
// Field shapes are zod metadata; importing the fields registers the one set on a shared instance (durations).
import './fields.ts';
import { configKinds } from './kinds.ts';

/** The kind printed without --kind: that of the files under experiments/ (a topology or replay experiment). */
export const DEFAULT_KIND = 'experiment';

type JsonSchema = Record<string, unknown>;

const ANNOTATIONS: JsonSchema = {
  comment: { description: 'A note for people (for example where a number comes from); ignored' },
  $schema: { type: 'string', description: 'The JSON Schema of this file, for editors; ignored' },
  extends: { type: 'string', description: 'A config this one overrides, as a path relative to this file' },
};

/** Keywords whose values are JSON data, not schemas, and so are not searched for object schemas. */
const DATA_KEYWORDS = new Set(['const', 'default', 'enum', 'examples']);

function isObject(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Adds the annotation keys to every object schema inside `node` (in place). */
function allowAnnotations(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) allowAnnotations(n);
    return;
  }
  if (!isObject(node)) return;
  for (const [k, v] of Object.entries(node)) if (!DATA_KEYWORDS.has(k)) allowAnnotations(v);
  if (node.type === 'object') {
    // After the real keys, so editors offer those first. They replace a schema's own key of the same name
    // (a generator spec's `comment`), as the loader removes them whatever they hold.
    node.properties = { ...(isObject(node.properties) ? node.properties : {}), ...ANNOTATIONS };
  }
}

/** The JSON Schema (draft 2020-12) of configs validated by `schema`. */
export function configJsonSchema(schema: z.ZodType, kind: string): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  allowAnnotations(json);
  return { ...json, title: `cachetopo ${kind} config` };
}

export function schemaCommand(kinds: Record<string, z.ZodType> = configKinds): Command {
  const names = Object.keys(kinds);
  return new Command('schema')
    .description(
      'print the JSON Schema of a config file kind (e.g. cachetopo schema > experiments/schema.json)',
    )
    .option(
      '--kind <name>',
      `config kind (${names.length > 0 ? names.join(', ') : 'none yet'})`,
      DEFAULT_KIND,
    )
    .action((opts: { kind: string }) => {
      const schema = Object.hasOwn(kinds, opts.kind) ? kinds[opts.kind] : undefined;
      if (schema === undefined) {
        const known =
          names.length > 0 ? `one of ${names.join(', ')}` : 'a config kind (none is registered yet)';
        throw new InputError(`--kind: expected ${known}, got "${opts.kind}"`);
      }
      process.stdout.write(`${JSON.stringify(configJsonSchema(schema, opts.kind), null, 2)}\n`);
    });
}
