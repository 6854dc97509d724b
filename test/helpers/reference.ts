/** Loads libCacheSim's reference miss counts from ../shared/expected and opens the matching sample trace. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestSource } from '../../src/trace/api.ts';
import { openTrace } from '../../src/trace/registry.ts';
import { sharedDir } from './shared.ts';

export interface ReferenceRow {
  trace: string;
  reader: string;
  policy: string;
  cacheName: string;
  cacheSize: number;
  unit: 'objects' | 'bytes';
  fraction: number;
  requests: number;
  misses: number;
  missRatio: number;
  bytesMissed: number;
  byteMissRatio: number;
}

export function loadReference(path: string): ReferenceRow[] {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const head = lines[0].split('\t');
  const col = (name: string) => head.indexOf(name);
  return lines.slice(1).map((line) => {
    const f = line.split('\t');
    return {
      trace: f[col('trace')],
      reader: f[col('reader')],
      policy: f[col('policy')],
      cacheName: f[col('libcachesim_cache_name')],
      cacheSize: Number(f[col('cache_size')]),
      unit: f[col('size_unit')] as 'objects' | 'bytes',
      fraction: Number(f[col('fraction_of_working_set')]),
      requests: Number(f[col('requests')]),
      misses: Number(f[col('misses')]),
      missRatio: Number(f[col('miss_ratio')]),
      bytesMissed: Number(f[col('bytes_missed')]),
      byteMissRatio: Number(f[col('byte_miss_ratio')]),
    };
  });
}

/** Opens a sample trace with the reader settings libCacheSim used for it. */
export function openSample(trace: string, reader: string): RequestSource {
  const path = join(sharedDir, 'traces', trace);
  if (reader === 'csv')
    return openTrace(path, { csv: 'time=2,key=5,size=4,op=3', csvOps: '28=get,2a=set', header: true });
  return openTrace(path, { format: reader === 'txt' ? 'txt' : reader });
}
