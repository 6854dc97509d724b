/**
 * The browser builds of vega, vega-lite and vega-embed, read from node_modules for inlining into the
 * offline HTML report. The packages do not export their build/*.min.js paths, so this finds each
 * package's root by walking up from this module to a node_modules folder that holds it. Source-map
 * comments are dropped (they would point at files the report does not carry) and "</script" cannot end
 * the inline script early.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILES = [
  { pkg: 'vega', file: 'build/vega.min.js' },
  { pkg: 'vega-lite', file: 'build/vega-lite.min.js' },
  { pkg: 'vega-embed', file: 'build/vega-embed.min.js' },
];

function packageRoot(pkg: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', pkg);
    if (existsSync(join(root, 'package.json'))) return root;
    if (dirname(dir) === dir) throw new Error(`${pkg} is not installed (run npm ci)`);
  }
}

let cached: string[] | null = null;

/** The three scripts, in load order (vega-embed finds vega and vegaLite as globals). */
export function vegaBundles(): string[] {
  cached ??= FILES.map(({ pkg, file }) =>
    readFileSync(join(packageRoot(pkg), file), 'utf8')
      .replace(/\/\/# sourceMappingURL=\S*\s*$/, '')
      .replaceAll('</script', '<\\/script'),
  );
  return cached;
}
