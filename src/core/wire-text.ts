/**
 * The upstream's own serialization of a value Arbiter passes through unchanged (an OpenAI
 * response or stream chunk), so the gateway can forward those bytes instead of encoding the
 * parsed object again. Any stage that builds a new object (adds cost to usage, filters tool calls) has no
 * text of its own and is serialized as usual.
 *
 * The text rides on the object under a symbol (JSON.stringify skips symbol keys), together
 * with the object it was recorded for: a spread copy carries the symbol along but is not that
 * object, so it never passes for unchanged. A WeakMap did the same at ~0.5 µs a chunk (its
 * entries cost every scavenge), a third of what parsing the chunk costs.
 */
const WIRE = Symbol('arbiter.wireText');

interface WireRecord { owner: object; text: string }

/** Only for a value nothing has changed since it was parsed from `text`. */
export function rememberWireText(value: object, text: string): void {
  (value as { [WIRE]?: WireRecord })[WIRE] = { owner: value, text };
}

export function wireTextOf(value: object): string | undefined {
  const record = (value as { [WIRE]?: WireRecord })[WIRE];
  return record?.owner === value ? record.text : undefined;
}
