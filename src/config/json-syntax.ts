/**
 * Finds the first syntax problem in a JSON text (RFC 8259), with its offset, for config error messages.
 * JSON.parse alone is not enough: Node 20's messages give a position for some errors and none for others
 * ("Unexpected token '}', ... is not valid JSON"), and it silently keeps the last of two equal keys in an
 * object, which hides a typo or a bad merge as well as an unknown key would. So configs are scanned by this
 * small recursive-descent checker first, and parsed by JSON.parse only once they are known to be clean.
 */

export interface JsonProblem {
  /** Offset of the offending character in the text (UTF-16 units, as String indices). */
  offset: number;
  /** What was expected and what was found, e.g. `expected ',' or '}' after a property value, got ']'`. */
  problem: string;
}

/** Nesting deeper than this is refused rather than risking the call stack (configs nest a few levels). */
const MAX_DEPTH = 500;

class Problem extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** The first problem in `text`, or null when it is one valid JSON value (with optional whitespace around). */
export function findJsonProblem(text: string): JsonProblem | null {
  const scanner = new Scanner(text);
  try {
    scanner.document();
    return null;
  } catch (e) {
    if (e instanceof Problem) return { offset: e.offset, problem: e.problem };
    throw e;
  }
}

/** 1-based line and column (in characters, a tab counting one) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: [...text.slice(lineStart, offset)].length + 1 };
}

const VALUE = 'a value (an object, array, string, number, true, false or null)';

class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  document(): void {
    this.ws();
    this.value(0);
    this.ws();
    if (this.pos < this.text.length) this.fail('the end of the file after the value');
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH)
      throw new Problem(this.pos, `expected at most ${MAX_DEPTH} levels of nesting, got more`);
    const c = this.text[this.pos];
    if (c === '{') this.object(depth);
    else if (c === '[') this.array(depth);
    else if (c === '"') this.string();
    else if (c === '-' || (c >= '0' && c <= '9')) this.number();
    else if (!this.word('true') && !this.word('false') && !this.word('null')) this.fail(VALUE);
  }

  private object(depth: number): void {
    const seen = new Map<string, number>();
    this.pos++;
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') {
        this.fail(
          'a property name in double quotes',
          this.text[this.pos] === '}' ? ' (JSON allows no comma before the closing brace)' : '',
        );
      }
      const at = this.pos;
      const key = JSON.parse(this.text.slice(at, this.string())) as string;
      const first = seen.get(key);
      if (first !== undefined) {
        const { line } = lineColumn(this.text, first);
        throw new Problem(
          at,
          `expected each key once in an object, got "${key}" again (first on line ${line})`,
        );
      }
      seen.set(key, at);
      this.ws();
      if (this.text[this.pos] !== ':') this.fail("':' after the property name");
      this.pos++;
      this.ws();
      this.value(depth + 1);
      this.ws();
      const c = this.text[this.pos];
      if (c === '}') {
        this.pos++;
        return;
      }
      if (c !== ',') this.fail("',' or '}' after a property value");
      this.pos++;
      this.ws();
    }
  }

  private array(depth: number): void {
    this.pos++;
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.text[this.pos] === ']') this.fail(VALUE, ' (JSON allows no comma before the closing bracket)');
      this.value(depth + 1);
      this.ws();
      const c = this.text[this.pos];
      if (c === ']') {
        this.pos++;
        return;
      }
      if (c !== ',') this.fail("',' or ']' after an array element");
      this.pos++;
      this.ws();
    }
  }

  /** Scans a string starting at its opening quote; returns the offset just past its closing quote. */
  private string(): number {
    this.pos++;
    for (;;) {
      if (this.pos >= this.text.length) this.fail("'\"' to close the string");
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x22) {
        this.pos++;
        return this.pos;
      }
      if (code < 0x20) {
        this.fail(
          code === 10
            ? "'\"' to close the string before the end of the line"
            : 'an escaped control character',
        );
      }
      if (code === 0x5c) {
        const e = this.text[this.pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
            this.pos += 2;
            this.fail('four hex digits after \\u');
          }
          this.pos += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.pos++;
          this.fail('an escape: one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX');
        }
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
  }

  private number(): void {
    if (this.text[this.pos] === '-') this.pos++;
    if (this.text[this.pos] === '0') {
      this.pos++;
      if (this.isDigit()) this.fail("'.', 'e' or the end of the number after a leading 0");
    } else this.digits();
    if (this.text[this.pos] === '.') {
      this.pos++;
      this.digits();
    }
    if (this.text[this.pos] === 'e' || this.text[this.pos] === 'E') {
      this.pos++;
      if (this.text[this.pos] === '+' || this.text[this.pos] === '-') this.pos++;
      this.digits();
    }
  }

  private digits(): void {
    if (!this.isDigit()) this.fail('a digit');
    while (this.isDigit()) this.pos++;
  }

  private isDigit(): boolean {
    const c = this.text.charCodeAt(this.pos);
    return c >= 48 && c <= 57;
  }

  private word(w: string): boolean {
    if (!this.text.startsWith(w, this.pos)) return false;
    this.pos += w.length;
    return true;
  }

  private ws(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else return;
    }
  }

  private fail(expected: string, hint = ''): never {
    throw new Problem(this.pos, `expected ${expected}, got ${this.found()}${hint}`);
  }

  /** The token at the current position, for "got …": a comment, a word, a character or the end of file. */
  private found(): string {
    if (this.pos >= this.text.length) return 'the end of the file';
    const rest = this.text.slice(this.pos);
    if (rest.startsWith('//') || rest.startsWith('/*'))
      return 'a comment (JSON has none: use a "comment" field)';
    const word = /^[A-Za-z_$][\w$]*/.exec(rest);
    if (word) return `'${word[0].length > 20 ? `${word[0].slice(0, 17)}...` : word[0]}'`;
    const c = rest.codePointAt(0)!;
    return c < 0x20
      ? `control character U+${c.toString(16).padStart(4, '0')}`
      : `'${String.fromCodePoint(c)}'`;
  }
}
