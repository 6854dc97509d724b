/**
 * Makes a failed plain (non-discriminated) union readable. zod reports it as one `invalid_union` issue
 * holding every branch's issues, which prints as "Invalid input". A config union is nearly always one of:
 *
 * - alternatives of different types (`"infinite"` or a size): every branch failed on the value itself, so
 *   the expectations are joined: `expected "infinite" or a size like "4GiB", got "4 gigs"`;
 * - a number or an object, and the value is an object: only the object branch got past the type check, so
 *   its own issues are what the user needs, at their full paths;
 * - objects of different shapes: the branch that has all its required keys (and, of several, the fewest
 *   issues) is the one meant, and its issues are reported; when none has, every form is named by the keys
 *   it lacked: `expected an object with trace or an object with preset, got {"presett":"zipf"}`.
 *
 * Issues must carry their input (safeParse with `reportInput: true`): a missing key is an undefined one.
 * Discriminated unions are left as they are: the formatter already names the discriminator's values.
 */
import { z } from 'zod';
import { describeIssue } from '../trace/generators/spec.ts';

type Issue = z.core.$ZodIssue;

/**
 * The "expected …" phrase of a problem with the value itself (its type, form or range, not a field inside
 * it), as the shared formatter words it; null for any other problem.
 */
function expectation(issue: Issue): string | null {
  if (issue.path.length > 0 || issue.code === 'unrecognized_keys') return null;
  if (issue.code === 'invalid_union' && issue.discriminator === undefined) {
    const parts = issue.errors.map(branchExpectation);
    return parts.every((p) => p !== null) ? [...new Set(parts)].join(' or ') : null;
  }
  // Every line describeIssue makes reads "<pointer>: expected <what>, got <value>" (custom ones by our
  // fields' convention), and "<what>" never holds ", got ". It reads the schema only for unknown keys.
  const [line] = describeIssue(z.never(), issue.input, issue);
  return /^[^:]*: expected (.*?), got /s.exec(line)?.[1] ?? null;
}

/** A branch's expectation when it failed on the value itself, else null (it got past that check). */
function branchExpectation(branch: readonly Issue[]): string | null {
  return branch.length === 1 ? expectation(branch[0]) : null;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** `issue`, or for a failed plain union the issues that say what is wrong (see the module comment). */
export function explainUnion(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || issue.discriminator !== undefined) return [issue];
  const parts = issue.errors.map(branchExpectation);
  // Branches that got past the value check, and of those the ones with no required key missing: a fit.
  const fits = issue.errors.filter((branch, i) => parts[i] === null && missingKeys(branch).length === 0);
  if (fits.length > 0) {
    const best = fits.reduce((a, b) => (b.length < a.length ? b : a));
    return best.flatMap((inner) => explainUnion({ ...inner, path: [...issue.path, ...inner.path] } as Issue));
  }
  // No branch fits: name every form, objects by the keys they lacked.
  const forms = issue.errors.map(
    (branch, i) => parts[i] ?? `an object with ${missingKeys(branch).join(' and ')}`,
  );
  const message = `expected ${[...new Set(forms)].join(' or ')}, got ${show(issue.input)}`;
  return [{ code: 'custom', path: issue.path, input: issue.input, message }];
}

/** Required keys a branch found missing (its issues of a field that is not there at all). */
function missingKeys(branch: readonly Issue[]): string[] {
  return branch
    .filter((i) => i.code === 'invalid_type' && i.path.length === 1 && i.input === undefined)
    .map((i) => String(i.path[0]));
}
