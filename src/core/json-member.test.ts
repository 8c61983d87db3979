import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendToMemberObject, topLevelMember } from './json-member.js';

function valueText(text: string, key: string): string | undefined {
  const span = topLevelMember(text, key);
  return span ? text.slice(span.start, span.end) : undefined;
}

test('json member: finds a top-level value of any kind, with whitespace around it', () => {
  const text = ' { "id" : "a,b}" , "n": -1.5e3 ,"usage":\n { "x": [1, {"y": "}"}] } , "z": null }\n';
  assert.equal(valueText(text, 'usage'), '{ "x": [1, {"y": "}"}] }');
  assert.equal(valueText(text, 'n'), '-1.5e3');
  assert.equal(valueText(text, 'id'), '"a,b}"');
  assert.equal(valueText(text, 'z'), 'null');
  assert.equal(valueText(text, 'missing'), undefined);
});

test('json member: keys nested deeper, inside strings or after escaped quotes are not top-level keys', () => {
  const text = JSON.stringify({
    choices: [{ message: { content: 'say "usage":{"fake":1} \\"usage\\" \\', usage: { nested: true } } }],
    note: 'ends with a backslash \\',
    usage: { prompt_tokens: 3 },
  });
  assert.equal(valueText(text, 'usage'), '{"prompt_tokens":3}');
});

test('json member: of a key given twice the last is found, the one JSON.parse keeps; an escaped key after it is refused', () => {
  assert.equal(valueText('{"usage":{"a":1},"usage":{"a":2}}', 'usage'), '{"a":2}');
  assert.equal(valueText('{"us\\u0061ge":{"a":1},"usage":{"a":2}}', 'usage'), '{"a":2}');
  // JSON.parse keeps {"a":2} here, under a spelling the scan does not decode.
  assert.equal(topLevelMember('{"usage":{"a":1},"us\\u0061ge":{"a":2}}', 'usage'), undefined);
  assert.equal(topLevelMember('[{"usage":{}}]', 'usage'), undefined);
});

test('json member: a member appended to an object value parses to the same object plus that member', () => {
  for (const source of [
    { id: 'c1', usage: { prompt_tokens: 1, completion_tokens: 2 }, tail: [1, 2] },
    { usage: {} },
    { id: 'x', usage: { prompt_tokens_details: { cached_tokens: 0 } } },
  ]) {
    for (const text of [JSON.stringify(source), JSON.stringify(source, null, 2)]) {
      const spliced = appendToMemberObject(text, 'usage', '"cost_usd":0.000021');
      assert.ok(spliced, text);
      assert.deepEqual(JSON.parse(spliced), { ...source, usage: { ...source.usage, cost_usd: 0.000021 } });
    }
  }
  assert.equal(appendToMemberObject('{"usage":null}', 'usage', '"cost_usd":1'), undefined);
  assert.equal(appendToMemberObject('{"id":"x"}', 'usage', '"cost_usd":1'), undefined);
});

test('json member: on generated objects the span is exactly the member as JSON.stringify wrote it, or refused for an escaped key after it', () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pieces = ['"', '\\', '{', '}', '[', ']', ',', ':', 'usage', ' ', 'é', '\n', 'a'];
  const randomString = () => Array.from({ length: Math.floor(next() * 8) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
  const randomValue = (depth: number): unknown => {
    const kind = Math.floor(next() * (depth > 2 ? 3 : 5));
    if (kind === 0) return randomString();
    if (kind === 1) return Math.floor(next() * 1000) - 500;
    if (kind === 2) return next() < 0.5 ? null : true;
    if (kind === 3) return Array.from({ length: Math.floor(next() * 3) }, () => randomValue(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(next() * 3) }, () => [next() < 0.3 ? 'usage' : randomString(), randomValue(depth + 1)]));
  };
  for (let round = 0; round < 300; round++) {
    const object = { [randomString() + 'k']: randomValue(0), usage: randomValue(0), [randomString() + 'z']: randomValue(0) };
    const text = JSON.stringify(object);
    // A top-level key after usage written with an escape could spell "usage": refused, never guessed.
    const escapedAfter = JSON.stringify(Object.keys(object)[2]).includes('\\');
    assert.equal(valueText(text, 'usage'), escapedAfter ? undefined : JSON.stringify(object.usage), text);
  }
});
