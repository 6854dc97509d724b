/**
 * The message for a name that is not in a table (a policy, a reader, a filter): what was given, the
 * nearest known name when a typo is the likely cause (within two edits), and every known name.
 */

/** `unknown <what> "<name>" (did you mean "<near>"?); expected one of: <shown>`. */
export function unknownName(
  what: string,
  name: string,
  known: readonly string[],
  shown: readonly string[] = known,
): string {
  const near = closestName(name.toLowerCase(), known);
  const hint = near === null ? '' : ` (did you mean "${near}"?)`;
  return `unknown ${what} "${name}"${hint}; expected one of: ${shown.join(', ')}`;
}

/** The name within two edits of `n` (the closest, the first on a tie), or null. */
function closestName(n: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const c of names) {
    const d = editDistance(n, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** Levenshtein distance (insertions, deletions and substitutions cost 1). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}
