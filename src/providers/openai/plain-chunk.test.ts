import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPlainChunk } from './plain-chunk.js';
import { fixtureEvents } from '../__fixtures__/read.js';

const base = '"id":"chatcmpl-1","object":"chat.completion.chunk","created":1749000000,"model":"gpt-4.1","system_fingerprint":"fp_1"';
const delta = (content: string) => `{${base},"choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"logprobs":null,"finish_reason":null}],"usage":null}`;

/** A small deterministic generator (tests must not depend on Math.random's luck). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function parsesAsChunk(text: string): boolean {
  try {
    const value = JSON.parse(text) as { choices?: unknown };
    return typeof value === 'object' && value !== null && Array.isArray(value.choices);
  } catch {
    return false;
  }
}

describe('plain OpenAI chunks', () => {
  test('content deltas, escapes, unicode, numbers and spacing are plain', () => {
    for (const content of ['hi', 'say "choices": [1]', 'back\\slash \u00e9 \ud83d\ude00 tab\t nl\n', '', '{"usage":{}}']) assert.ok(isPlainChunk(delta(content)), content);
    assert.ok(isPlainChunk('{ "choices" : [ { "index" : 0 , "delta" : { "content" : "a" } } ] , "n" : -1.5e+3, "t": true, "f": false, "e": [], "o": {} }'));
    assert.ok(isPlainChunk('{"choices":[],"unicode":"\\u00e9"}'));
  });

  test('chunks the gateway must act on are not plain: usage, errors, tool calls, reasoning, a named field', () => {
    assert.ok(!isPlainChunk(`{${base},"choices":[],"usage":{"prompt_tokens":1}}`));
    assert.ok(!isPlainChunk('{"error":{"message":"x"},"choices":[]}'));
    assert.ok(!isPlainChunk('{"choices":[{"index":0,"delta":{"tool_calls":[]}}]}'));
    assert.ok(!isPlainChunk('{"choices":[{"index":0,"delta":{"reasoning":"a"}}]}'));
    assert.ok(!isPlainChunk('{"choices":[{"index":0,"delta":{"reasoning_details":[]}}]}'));
    assert.ok(!isPlainChunk('{"choices":[{"index":0,"delta":{"thoughts":"a"}}]}', 'thoughts'));
    // A key spelled with escapes could be any of them.
    assert.ok(!isPlainChunk('{"choices":[{"index":0,"delta":{"\\u0075sage":{}}}]}'));
    // `choices` must be the top-level array.
    assert.ok(!isPlainChunk('{"x":{"choices":[]}}'));
    assert.ok(!isPlainChunk('{"choices":{}}'));
    assert.ok(!isPlainChunk('[{"choices":[]}]'));
  });

  test('every strict prefix of a chunk is refused, even one that ends in } (a truncated body)', () => {
    const chunks = [delta('Hello, "world" \\ x'), ...fixtureEvents('openai-parallel-tools.chunks.txt').map((event) => event.data)];
    for (const chunk of chunks) {
      for (let cut = 1; cut < chunk.length; cut++) assert.ok(!isPlainChunk(chunk.slice(0, cut)), chunk.slice(0, cut));
    }
    assert.ok(!isPlainChunk(`${delta('a').slice(0, 60)}}`));
    assert.ok(!isPlainChunk('{"choices":[{"delta":{"content":"a}'));
  });

  test('malformed JSON is refused: bad literals, numbers, escapes, commas, control characters, trailing text', () => {
    for (const bad of [
      '{"choices":[tru]}', '{"choices":[01]}', '{"choices":[1.]}', '{"choices":[-]}', '{"choices":[1e]}', '{"choices":["\\x"]}',
      '{"choices":["\\u12g4"]}', '{"choices":[1,]}', '{"choices":[],}', '{"choices":[]', '{"choices":[]}}', '{"choices":[]} x',
      '{"choices":[}', '{"choices":[{"a":}]}', '{"choices":[{"a" 1}]}', '{"choices":["a\u0001"]}', '{"choices":[]}{"choices":[]}',
      `{"choices":${'['.repeat(40)}${']'.repeat(40)}}`,
    ]) assert.ok(!isPlainChunk(bad), bad);
  });

  test('generated mutations: whatever is plain parses as a chunk (1-3 characters dropped, doubled or swapped)', () => {
    const random = lcg(23);
    const sources = [delta('The quick "brown" fox \\ jumps'), ...fixtureEvents('openai-refusal.chunks.txt').map((event) => event.data)];
    const alphabet = '{}[]",:\\0123456789.-eEtrufalsn ';
    let plain = 0;
    for (let round = 0; round < 20_000; round++) {
      let text = sources[round % sources.length]!;
      const edits = 1 + Math.floor(random() * 3);
      for (let edit = 0; edit < edits; edit++) {
        const at = Math.floor(random() * text.length);
        const kind = random();
        if (kind < 0.4) text = text.slice(0, at) + text.slice(at + 1);
        else if (kind < 0.7) text = text.slice(0, at) + alphabet[Math.floor(random() * alphabet.length)] + text.slice(at);
        else text = text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
      }
      if (isPlainChunk(text)) {
        plain++;
        assert.ok(parsesAsChunk(text), text);
      }
    }
    // Some mutations only touch string contents and stay valid: the property was exercised.
    assert.ok(plain > 100, `only ${plain} plain mutations`);
  });
});
