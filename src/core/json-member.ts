/**
 * Finds where one top-level member's value lies in a JSON object's text without parsing it,
 * so a member can be extended in place of serializing the whole object anew. The text must be
 * one that JSON.parse accepted; the scan trusts it to be well formed.
 */
export interface ValueSpan {
  /** Index of the value's first character. */
  start: number;
  /** Index just past the value's last character. */
  end: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** The index of the quote that closes the string opening at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

/**
 * The span of `key`'s value among the members of the top-level object, or undefined when it
 * is absent or cannot be told apart for certain: the key given twice (JSON.parse keeps the
 * last), or any top-level key written with an escape (which might spell `key`).
 */
export function topLevelMember(text: string, key: string): ValueSpan | undefined {
  let depth = 0;
  let expectingKey = false;
  let matchedKey = false;
  let valueStart = -1;
  let span: ValueSpan | undefined;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const close = closingQuote(text, at);
      if (close === -1) return undefined;
      if (depth === 1 && expectingKey) {
        expectingKey = false;
        for (let inner = at + 1; inner < close; inner++) if (text.charCodeAt(inner) === BACKSLASH) return undefined;
        matchedKey = close - at - 1 === key.length && text.startsWith(key, at + 1);
        if (matchedKey && (span !== undefined || valueStart !== -1)) return undefined;
      }
      at = close;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      if (depth === 1) expectingKey = code === OPEN_BRACE;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET || code === COMMA) {
      if (depth === 1 && valueStart !== -1) {
        let end = at;
        while (end > valueStart && isWhitespace(text.charCodeAt(end - 1))) end--;
        span = { start: valueStart, end };
        valueStart = -1;
      }
      if (code === COMMA) {
        if (depth === 1) expectingKey = true;
      } else if (--depth === 0) {
        return span;
      }
    } else if (code === COLON && depth === 1 && matchedKey) {
      matchedKey = false;
      valueStart = at + 1;
      while (isWhitespace(text.charCodeAt(valueStart))) valueStart++;
    }
  }
  return undefined;
}

/**
 * The text with `member` (already encoded, `"name":value`) added as the last member of the
 * object that is `key`'s value; undefined when that value is not an object or not found for
 * certain. The caller makes sure the object has no member of that name yet.
 */
export function appendToMemberObject(text: string, key: string, member: string): string | undefined {
  const span = topLevelMember(text, key);
  if (!span || text.charCodeAt(span.start) !== OPEN_BRACE) return undefined;
  const close = span.end - 1;
  let last = close - 1;
  while (isWhitespace(text.charCodeAt(last))) last--;
  const separator = last === span.start ? '' : ',';
  return `${text.slice(0, close)}${separator}${member}${text.slice(close)}`;
}
