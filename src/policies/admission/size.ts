/**
 * Size threshold: admit only objects of at most `maxSize` units. Large objects cost many small ones their
 * place for one hit, so CDNs and memcached (item size limit, 1 MiB by default) keep them out; libCacheSim's
 * `size` admissioner is the same rule with a strict bound (size < threshold).
 * In object mode every object is 1 unit, so the rule only bites in byte mode (--bytes).
 *
 * Parameter: maxSize (1048576).
 */
import { numberParam } from '../param-checks.ts';
import type { AdmissionFilter, FilterEntry } from './api.ts';

export class SizeFilter implements AdmissionFilter {
  constructor(private readonly maxSize: number) {}

  admit(_key: number, size: number): boolean {
    return size <= this.maxSize;
  }

  reserve(): void {}
}

export const sizeFilter: FilterEntry = {
  name: 'size',
  description: 'admit objects of at most maxSize units (bytes with --bytes)',
  defaults: { maxSize: 1048576 },
  create: (ctx) => new SizeFilter(numberParam('size', ctx.params, 'maxSize', 0, Number.MAX_SAFE_INTEGER)),
};
