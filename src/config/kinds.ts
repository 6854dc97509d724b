/**
 * The kinds of config file `cachetopo schema --kind <name>` can describe, each by its zod schema. A module
 * that defines the schema of a config file adds one line here, so the JSON Schema editors use is generated
 * from the same validator that `loadConfig` runs.
 */
import type { z } from 'zod';
import { experimentSchema } from '../experiment/schema.ts';
import { topologySchema } from '../topology/schema.ts';

export const configKinds: Record<string, z.ZodType> = {
  topology: topologySchema,
  experiment: experimentSchema,
};
