import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rememberWireText, wireTextOf } from './wire-text.js';

test('wire text: kept for the object it was recorded on, never for a copy, never serialized', () => {
  const text = '{"id":"c1","choices":[{"index":0,"delta":{"content":"hi"}}]}';
  const chunk = JSON.parse(text) as { id: string; usage?: unknown };
  rememberWireText(chunk, text);
  assert.equal(wireTextOf(chunk), text);
  const copy = { ...chunk, usage: { prompt_tokens: 1 } };
  assert.equal(wireTextOf(copy), undefined);
  assert.equal(JSON.stringify(chunk), text);
});
