/**
 * The upstream's own serialization of a value Arbiter passes through unchanged (an OpenAI
 * response or stream chunk), so the gateway can forward those bytes instead of encoding the
 * parsed object again. A stage that builds a new object (filters tool calls) has no text of
 * its own and is serialized as usual; one that changes the object in place records the text
 * that matches it, or forgets the old one.
 *
 * The text rides on the object under a symbol (JSON.stringify skips symbol keys), together
 * with the object it was recorded for: a spread copy carries the symbol along but is not that
 * object, so it never passes for unchanged. A WeakMap did the same at ~0.5 µs a chunk (its
 * entries cost every scavenge), a third of what parsing the chunk costs.
 */
const WIRE = Symbol('arbiter.wireText');

interface WireRecord { owner: object; text: string }

/** `text` must encode the value as it is now: as parsed, or as it was changed in place. */
export function rememberWireText(value: object, text: string): void {
  (value as { [WIRE]?: WireRecord })[WIRE] = { owner: value, text };
}

/** After an in-place change the old text no longer says what the value holds. */
export function forgetWireText(value: object): void {
  // Cleared, not deleted: a deleted key turns the object into a slow dictionary.
  const record = value as { [WIRE]?: WireRecord };
  if (record[WIRE] !== undefined) record[WIRE] = undefined;
}

export function wireTextOf(value: object): string | undefined {
  const record = (value as { [WIRE]?: WireRecord })[WIRE];
  return record?.owner === value ? record.text : undefined;
}
