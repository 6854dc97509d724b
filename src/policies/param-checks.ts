/**
 * Range checks for policy parameters. The registry has already parsed each value to the type of its default;
 * these turn an out-of-range value into a one-line InputError naming the policy and the parameter.
 */
import { InputError } from '../errors.ts';
import type { Params } from './api.ts';

/** An integer in [min, max]. */
export function integerParam(policy: string, params: Params, name: string, min: number, max: number): number {
  const v = params[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new InputError(
      `policy ${policy}: ${name}: expected an integer from ${min} to ${max}, got ${String(v)}`,
    );
  }
  return v;
}

/** A finite number in [min, max]. */
export function numberParam(policy: string, params: Params, name: string, min: number, max: number): number {
  const v = params[name];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new InputError(
      `policy ${policy}: ${name}: expected a number from ${min} to ${max}, got ${String(v)}`,
    );
  }
  return v;
}
