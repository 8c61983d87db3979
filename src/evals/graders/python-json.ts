/**
 * JSON read the way Python's `json.loads` reads it, because BFCL's checker decides on Python
 * types: `10` is an int and `10.0` a float, and that distinction passes or fails a call. Ints
 * become `bigint`, floats `number`, objects `Map` (keys in order, last duplicate wins, no
 * prototype surprises). `pyEquals` is Python's `==` on these values (True == 1 == 1.0).
 */
export type PyValue = null | boolean | string | bigint | number | PyValue[] | PyDict;
// An interface (not a type alias) so the recursive reference through Map type-checks.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PyDict extends Map<string, PyValue> {}

export type PyTypeName = 'NoneType' | 'bool' | 'str' | 'int' | 'float' | 'list' | 'dict';

export class PyJsonError extends Error {}

export function pyType(value: PyValue): PyTypeName {
  if (value === null) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

export function isPyDict(value: PyValue): value is PyDict {
  return value instanceof Map;
}

const numberPattern = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const whitespace = /[ \t\n\r]*/y;

/** Parses JSON text (plus NaN/Infinity, which Python's json accepts) into Python-typed values. */
export function parsePyJson(text: string): PyValue {
  let index = 0;
  const fail = (what: string): never => {
    throw new PyJsonError(`${what} at position ${index}`);
  };
  const skip = (): void => {
    whitespace.lastIndex = index;
    whitespace.exec(text);
    index = whitespace.lastIndex;
  };
  const parseString = (): string => {
    index += 1;
    let out = '';
    for (;;) {
      const char = text[index];
      if (char === undefined) return fail('unterminated string');
      if (char === '"') {
        index += 1;
        return out;
      }
      if (char === '\\') {
        const escape = text[index + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (escape !== undefined && Object.hasOwn(simple, escape)) {
          out += simple[escape];
          index += 2;
        } else if (escape === 'u') {
          const hex = text.slice(index + 2, index + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          index += 6;
        } else {
          fail('bad escape');
        }
      } else {
        if (char < ' ') fail('control character in string');
        out += char;
        index += 1;
      }
    }
  };
  const parseValue = (): PyValue => {
    skip();
    const char = text[index];
    if (char === '{') {
      index += 1;
      const dict: PyDict = new Map();
      skip();
      if (text[index] === '}') {
        index += 1;
        return dict;
      }
      for (;;) {
        skip();
        if (text[index] !== '"') fail('expected a key');
        const key = parseString();
        skip();
        if (text[index] !== ':') fail("expected ':'");
        index += 1;
        dict.set(key, parseValue());
        skip();
        if (text[index] === ',') index += 1;
        else if (text[index] === '}') {
          index += 1;
          return dict;
        } else fail("expected ',' or '}'");
      }
    }
    if (char === '[') {
      index += 1;
      const list: PyValue[] = [];
      skip();
      if (text[index] === ']') {
        index += 1;
        return list;
      }
      for (;;) {
        list.push(parseValue());
        skip();
        if (text[index] === ',') index += 1;
        else if (text[index] === ']') {
          index += 1;
          return list;
        } else fail("expected ',' or ']'");
      }
    }
    if (char === '"') return parseString();
    for (const [word, value] of [['true', true], ['false', false], ['null', null], ['NaN', Number.NaN], ['Infinity', Number.POSITIVE_INFINITY], ['-Infinity', Number.NEGATIVE_INFINITY]] as const) {
      if (text.startsWith(word, index)) {
        index += word.length;
        return value;
      }
    }
    numberPattern.lastIndex = index;
    const match = numberPattern.exec(text);
    if (!match) return fail('unexpected character');
    index = numberPattern.lastIndex;
    return match[1] !== undefined || match[2] !== undefined ? Number(match[0]) : BigInt(match[0]);
  };
  const value = parseValue();
  skip();
  if (index !== text.length) fail('trailing characters');
  return value;
}

/** JSON text that `parsePyJson` (and Python) reads back with the same types: floats keep a `.0`. */
export function toPyJson(value: PyValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    const text = String(value);
    return /[.eE]/.test(text) ? text : `${text}.0`;
  }
  if (Array.isArray(value)) return `[${value.map(toPyJson).join(', ')}]`;
  return `{${[...value].map(([key, item]) => `${JSON.stringify(key)}: ${toPyJson(item)}`).join(', ')}}`;
}

function numericOf(value: PyValue): bigint | number | null {
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'bigint' || typeof value === 'number') return value;
  return null;
}

function numbersEqual(a: bigint | number, b: bigint | number): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const [big, float] = typeof a === 'bigint' ? [a, b as number] : [b as bigint, a as number];
  return Number.isInteger(float) && BigInt(float) === big;
}

/** Python's `a == b` for JSON-born values. */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  const x = numericOf(a);
  const y = numericOf(b);
  if (x !== null || y !== null) return x !== null && y !== null && numbersEqual(x, y);
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => pyEquals(item, b[index] as PyValue));
  }
  if (!isPyDict(a) || !isPyDict(b) || a.size !== b.size) return false;
  for (const [key, item] of a) {
    if (!b.has(key) || !pyEquals(item, b.get(key) as PyValue)) return false;
  }
  return true;
}

/** Python's `value in list`. */
export function pyIn(value: PyValue, list: readonly PyValue[]): boolean {
  return list.some((item) => pyEquals(value, item));
}

/** Python's `repr`-ish rendering for error messages. */
export function pyRepr(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'bigint' || typeof value === 'number') return toPyJson(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `{${[...value].map(([key, item]) => `'${key}': ${pyRepr(item)}`).join(', ')}}`;
}
