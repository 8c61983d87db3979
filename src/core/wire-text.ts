/**
 * The upstream's own serialization of a value Arbiter passes through unchanged (an OpenAI
 * stream chunk), so the gateway can forward those bytes instead of encoding the parsed object
 * again. Keyed by the object itself: any stage that builds a new object (adds cost to usage,
 * filters tool calls) naturally has no text and is serialized as usual.
 */
const wireTexts = new WeakMap<object, string>();

export function rememberWireText(value: object, text: string): void {
  // One SSE data line carries it. The parser splits lines at CR and LF and joins a multi-line
  // event's data with LF, so LF is the only break such text can hold.
  if (text.indexOf('\n') === -1) wireTexts.set(value, text);
}

export function wireTextOf(value: object): string | undefined {
  return wireTexts.get(value);
}
