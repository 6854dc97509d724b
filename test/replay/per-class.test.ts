import { describe, expect, it } from 'vitest';
import { perClass } from '../../src/replay/per-class.ts';

class A {
  step(x: number): number {
    return x + 1;
  }
}
class B {
  step(x: number): number {
    return x * 10;
  }
}

function sumSteps(o: { step(x: number): number }, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += o.step(i);
  return s;
}

describe('perClass', () => {
  it('keeps the original for the first class and one working copy for each other class', () => {
    const loopOf = perClass(sumSteps);
    const a = loopOf(new A());
    const b = loopOf(new B());
    expect(a).toBe(sumSteps);
    expect(b).not.toBe(sumSteps);
    expect(loopOf(new B())).toBe(b);
    expect(loopOf(new A())).toBe(a);
    expect(a(new A(), 4)).toBe(10);
    expect(b(new B(), 4)).toBe(60);
  });
});
