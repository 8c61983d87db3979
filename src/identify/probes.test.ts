import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countFamilyTokens, type TokenizerId } from '../core/family-tokenizers.js';
import { designProbes, probeText, UNIT_POOL } from './probes.js';

const CANDIDATES: TokenizerId[] = ['o200k', 'cl100k', 'qwen', 'llama3', 'deepseek-v3', 'llama2', 'claude-legacy'];

describe('probe design', () => {
  it('is the same on every run, from the tokenizers alone', () => {
    const a = designProbes(CANDIDATES);
    const b = designProbes(CANDIDATES);
    assert.deepEqual(a.requests.map((r) => r.text), b.requests.map((r) => r.text));
    assert.equal(a.requests.length, 8);
  });

  it('separates every pair of candidates by many tokens, on a few hundred tokens per request', () => {
    const design = designProbes(CANDIDATES);
    assert.ok((design.weakestPair?.spread ?? 0) >= 6, JSON.stringify(design.weakestPair));
    const o200k = design.requests.map((request) => countFamilyTokens('o200k', request.text));
    assert.ok(o200k.reduce((sum, n) => sum + n, 0) <= 1600, `o200k tokens ${o200k.join(' ')}`);
    // Repeating units changes the count: the first request (each unit once) costs more than the second (none).
    assert.ok((o200k[0] ?? 0) > (o200k[1] ?? 0));
  });

  it('covers CJK, emoji, rare Unicode, code and numbers in its pool', () => {
    const categories = new Set(UNIT_POOL.map((unit) => unit.category));
    for (const category of ['cjk', 'emoji', 'rare-unicode', 'code', 'numbers']) assert.ok(categories.has(category), category);
    assert.equal(probeText([], []), probeText([UNIT_POOL[0]!], [0]));
  });
});
