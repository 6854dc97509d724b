/**
 * The one table of admission filters, read by the policy-spec parser (`lru+bloom`, `s3fifo+size(maxSize=
 * 65536)+prob(p=0.5)`). Adding a filter is one module and one line here.
 */
import { InputError } from '../../errors.ts';
import { unknownName } from '../../names.ts';
import type { FilterEntry } from './api.ts';
import { probabilisticFilter } from './probabilistic.ts';
import { secondHitFilter } from './second-hit.ts';
import { sizeFilter } from './size.ts';

export const filters: readonly FilterEntry[] = [sizeFilter, probabilisticFilter, secondHitFilter];

export function findFilter(name: string): FilterEntry {
  const e = filters.find((f) => f.name === name.toLowerCase());
  if (!e)
    throw new InputError(
      unknownName(
        'admission filter',
        name,
        filters.map((f) => f.name),
      ),
    );
  return e;
}
