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

/** The index of the quote that opens the string closing at `close`, or -1. */
function openingQuote(text: string, close: number): number {
  // Inside a string every quote is escaped, so the first unescaped one before is the opening.
  let at = text.lastIndexOf('"', close - 1);
  while (at !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.lastIndexOf('"', at - 1);
  }
  return -1;
}

/**
 * The span of `key`'s value among the members of the top-level object, or undefined when it
 * is absent or cannot be told for certain. The scan runs from the end: JSON.parse keeps the
 * last of a key given twice, which is the first met this way, and usage, the member looked
 * for, comes near the end of a chat completion, so most of the text is never read. A key
 * written with an escape after the match (which might spell `key` and so be the one parsed)
 * refuses the answer.
 */
export function topLevelMember(text: string, key: string): ValueSpan | undefined {
  let depth = 0;
  /** At depth 1: where the value being passed ends (the comma or brace after it) and the colon before it. */
  let valueEnd = -1;
  let colon = -1;
  for (let at = text.length - 1; at >= 0; at--) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const open = openingQuote(text, at);
      if (open === -1) return undefined;
      if (depth === 1 && colon !== -1) {
        // Before a top-level colon there is only the member's key.
        for (let inner = open + 1; inner < at; inner++) if (text.charCodeAt(inner) === BACKSLASH) return undefined;
        if (at - open - 1 === key.length && text.startsWith(key, open + 1)) {
          let start = colon + 1;
          while (isWhitespace(text.charCodeAt(start))) start++;
          let end = valueEnd;
          while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--;
          return { start, end };
        }
        colon = -1;
      }
      at = open;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (++depth === 1) {
        if (code !== CLOSE_BRACE) return undefined;
        valueEnd = at;
      }
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (--depth === 0) return undefined;
    } else if (depth === 1) {
      if (code === COMMA) valueEnd = at;
      else if (code === COLON) colon = at;
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
