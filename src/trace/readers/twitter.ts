/**
 * Twitter's production cache traces (Yang, Yue, Rashmi: "A large scale analysis of hundreds of in-memory
 * cache clusters at Twitter", OSDI 2020; format in github.com/twitter/cache-trace). Each line is
 * `timestamp,anonymized key,key size,value size,client id,operation,TTL`: seconds, a string key, bytes,
 * bytes, an id, a memcached command, seconds (0 for non-writes). No header, no quoting.
 *
 * Mapping: size = key size + value size (what the object occupies); get/gets → get; delete → delete;
 * set, add, replace, cas, append, prepend → set, and so are incr and decr, which rewrite the stored value.
 * Keys are always strings. The client id is not used.
 */
import { InputError } from '../../errors.ts';
import { OP_DELETE, OP_GET, OP_SET } from '../api.ts';
import type { ReaderEntry, ReaderOptions } from '../registry.ts';
import { DelimitedSource } from './delimited-source.ts';
import { FieldScanner, opTable } from './field-scanner.ts';

const TWITTER_OPS = opTable([
  ['get', OP_GET],
  ['gets', OP_GET],
  ['set', OP_SET],
  ['add', OP_SET],
  ['replace', OP_SET],
  ['cas', OP_SET],
  ['append', OP_SET],
  ['prepend', OP_SET],
  ['incr', OP_SET],
  ['decr', OP_SET],
  ['delete', OP_DELETE],
]);

/** Opens a Twitter trace; `header` skips a first line; `chunkBytes` sets the read buffer (tests). */
export function openTwitter(path: string, opts: ReaderOptions, chunkBytes?: number): DelimitedSource {
  if (opts.csv !== undefined || opts.csvOps !== undefined || opts.delimiter !== undefined) {
    throw new InputError(`${path}: --csv, --csv-ops and --delimiter do not apply to the twitter format`);
  }
  const sc = new FieldScanner(path, { delimiter: 44, quotes: false, chunkBytes });
  if (opts.header === true && !sc.nextLine()) {
    sc.close();
    throw new InputError(`${path}: empty file; expected a header line`);
  }
  return new DelimitedSource(sc, {
    format: 'twitter',
    time: { index: 0, name: 'timestamp' },
    key: { index: 1, name: 'key' },
    sizes: [
      { index: 2, name: 'key size' },
      { index: 3, name: 'value size' },
    ],
    op: { column: { index: 5, name: 'operation' }, table: TWITTER_OPS },
    ttl: { index: 6, name: 'TTL' },
    stringKeys: true,
    stringKeysHint: 'keys are always strings',
  });
}

export const twitterReader: ReaderEntry = {
  name: 'twitter',
  description: 'Twitter cache-trace CSV (OSDI 2020): timestamp,key,key size,value size,client,op,TTL',
  suffixes: ['.twitter.csv'],
  open: (path, opts) => openTwitter(path, opts),
};
