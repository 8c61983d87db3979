/**
 * The upstream's own serialization of a value Arbiter passes through unchanged (an OpenAI
 * stream chunk), so the gateway can forward those bytes instead of encoding the parsed object
 * again. Keyed by the object itself: any stage that builds a new object (adds cost to usage,
 * filters tool calls) naturally has no text and is serialized as usual.
 */
const wireTexts = new WeakMap<object, string>();

export function rememberWireText(value: object, text: string): void {
  // One SSE data line carries it: text with a line break would need re-framing.
  if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1) wireTexts.set(value, text);
}

export function wireTextOf(value: object): string | undefined {
  return wireTexts.get(value);
}
