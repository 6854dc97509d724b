/** The JSON syntax checker: where the first problem is and what it says, and agreement with JSON.parse. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonProblem, lineColumn } from '../../src/config/json-syntax.ts';

function at(text: string): string {
  const p = findJsonProblem(text);
  if (p === null) return 'ok';
  const { line, column } = lineColumn(text, p.offset);
  return `${line}:${column}: ${p.problem}`;
}

const VALUE = 'a value (an object, array, string, number, true, false or null)';

describe('findJsonProblem', () => {
  it('accepts valid JSON', () => {
    for (const t of [
      '{}',
      ' [ ] ',
      '{"a": [1, -2.5e+3, 0, "x\\u00e9\\n"], "b": {"c": null, "d": true}}',
      '"s"',
      '0',
    ])
      expect(at(t), t).toBe('ok');
  });

  it('gives line, column and what was expected for each kind of mistake', () => {
    expect(at('{"a": }')).toBe(`1:7: expected ${VALUE}, got '}'`);
    expect(at('{"a": 1,\n "b": 2,\n}')).toBe(
      "3:1: expected a property name in double quotes, got '}' (JSON allows no comma before the closing brace)",
    );
    expect(at('[1, 2,]')).toBe(
      `1:7: expected ${VALUE}, got ']' (JSON allows no comma before the closing bracket)`,
    );
    expect(at('{"a" 1}')).toBe("1:6: expected ':' after the property name, got '1'");
    expect(at('{"a": 1 "b": 2}')).toBe(`1:9: expected ',' or '}' after a property value, got '"'`);
    expect(at('[1 2]')).toBe("1:4: expected ',' or ']' after an array element, got '2'");
    expect(at('{"a": tru}')).toBe(`1:7: expected ${VALUE}, got 'tru'`);
    expect(at("{'a': 1}")).toBe(`1:2: expected a property name in double quotes, got '''`);
    expect(at('{a: 1}')).toBe("1:2: expected a property name in double quotes, got 'a'");
    expect(at('{"a": 1} x')).toBe("1:10: expected the end of the file after the value, got 'x'");
    expect(at('{"a": 1')).toBe("1:8: expected ',' or '}' after a property value, got the end of the file");
    expect(at('')).toBe(`1:1: expected ${VALUE}, got the end of the file`);
    expect(at('{\n  // note\n  "a": 1}')).toBe(
      '2:3: expected a property name in double quotes, got a comment (JSON has none: use a "comment" field)',
    );
  });

  it('finds mistakes inside strings and numbers', () => {
    expect(at('{"a": "x\n"}')).toBe(
      `1:9: expected '"' to close the string before the end of the line, got control character U+000a`,
    );
    expect(at('["a\tb"]')).toBe('1:4: expected an escaped control character, got control character U+0009');
    expect(at('["\\x"]')).toBe(
      "1:4: expected an escape: one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, got 'x'",
    );
    expect(at('["\\u12G4"]')).toBe("1:5: expected four hex digits after \\u, got '1'");
    expect(at('[01]')).toBe("1:3: expected '.', 'e' or the end of the number after a leading 0, got '1'");
    expect(at('[1.]')).toBe("1:4: expected a digit, got ']'");
    expect(at('[-]')).toBe("1:3: expected a digit, got ']'");
    expect(at('[1e+]')).toBe("1:5: expected a digit, got ']'");
    expect(at('["abc')).toBe(`1:6: expected '"' to close the string, got the end of the file`);
  });

  it('refuses a key twice in one object, pointing at the second and naming the first line', () => {
    expect(at('{\n "a": 1,\n "b": {"a": 2},\n "a": 3\n}')).toBe(
      '4:2: expected each key once in an object, got "a" again (first on line 2)',
    );
    // Escapes are decoded before comparing: "\u0061" is "a".
    expect(at('{"a": 1, "\\u0061": 2}')).toBe(
      '1:10: expected each key once in an object, got "a" again (first on line 1)',
    );
  });

  it('counts columns in characters, not UTF-16 units', () => {
    expect(at('{"😀": 1,}')).toBe(
      "1:9: expected a property name in double quotes, got '}' (JSON allows no comma before the closing brace)",
    );
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(at(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBe(
      '1:502: expected at most 500 levels of nesting, got more',
    );
  });

  it('agrees with JSON.parse on what is valid (no duplicate keys)', () => {
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      '"a"',
      '"b"',
      ':',
      ',',
      '1',
      '-0.5e2',
      'true',
      'null',
      ' ',
      '\n',
      'x',
      '"',
      '0',
      '.',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const p = findJsonProblem(text);
        if (p?.problem.startsWith('expected each key once')) return;
        expect(p === null, text).toBe(parses);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(findJsonProblem(JSON.stringify(v, null, 1))).toBeNull();
      }),
    );
  });
});
