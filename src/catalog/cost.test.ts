import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeUsage, type Usage } from '../core/chat-response.js';
import { computeCost, estimateWorstCaseCost, usageFromStream, type Prices } from './cost.js';

// gpt-4o list prices: $2.50 in, $1.25 cached, $10 out per million tokens.
const gpt4o: Prices = { input: 2.5, cachedInput: 1.25, output: 10 };
// Claude Sonnet 4.5: cache writes cost 1.25x input.
const sonnet: Prices = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 };

describe('computeCost', () => {
  it('bills cached prompt tokens at the cached price and the rest at the input price', () => {
    // 600 x $2.5/M = 1,500,000 nano; 400 x $1.25/M = 500,000; 500 x $10/M = 5,000,000.
    const cost = computeCost(makeUsage(1000, 500, { cached: 400 }), gpt4o);
    assert.deepEqual(cost, { costNano: 7_000_000, inputNano: 1_500_000, cachedNano: 500_000, cacheWriteNano: 0, outputNano: 5_000_000 });
  });

  it('bills reasoning tokens once, inside completion tokens, at the output price', () => {
    // 200 of the 500 completion tokens are reasoning: still 500 x $10/M.
    const cost = computeCost(makeUsage(1000, 500, { reasoning: 200 }), gpt4o);
    assert.equal(cost?.outputNano, 5_000_000);
    assert.equal(cost?.costNano, 2_500_000 + 5_000_000);
  });

  it('bills reasoning reported outside completion tokens rather than undercount', () => {
    const cost = computeCost(makeUsage(0, 100, { reasoning: 300 }), gpt4o);
    assert.equal(cost?.outputNano, 3_000_000);
  });

  it('bills cache writes at the cache-write price', () => {
    const usage: Usage = { ...makeUsage(10_000, 100), prompt_tokens_details: { cached_tokens: 2_000, cache_creation_tokens: 4_000 } };
    // 4,000 x $3 = 12,000,000; 2,000 x $0.30 = 600,000; 4,000 x $3.75 = 15,000,000; 100 x $15 = 1,500,000.
    assert.deepEqual(computeCost(usage, sonnet), {
      costNano: 29_100_000, inputNano: 12_000_000, cachedNano: 600_000, cacheWriteNano: 15_000_000, outputNano: 1_500_000,
    });
  });

  it('bills cached tokens at the input price when the vendor lists no cache discount', () => {
    const cost = computeCost(makeUsage(1000, 0, { cached: 500 }), { input: 0.7, output: 0.7 });
    assert.equal(cost?.costNano, 700_000);
  });

  it('returns null for an unpriced deployment, never zero', () => {
    assert.equal(computeCost(makeUsage(1000, 500), undefined), null);
    assert.equal(computeCost(makeUsage(1000, 500), null), null);
    assert.equal(computeCost(makeUsage(1000, 500), { input: Number.NaN, output: 1 }), null);
  });

  it('keeps a free local deployment at exactly zero', () => {
    assert.equal(computeCost(makeUsage(1000, 500, { cached: 10 }), { input: 0, cachedInput: 0, output: 0 })?.costNano, 0);
  });

  it('survives hostile usage numbers', () => {
    const hostile = { prompt_tokens: -5, completion_tokens: Number.NaN, total_tokens: 0, prompt_tokens_details: { cached_tokens: 1e9 } } as Usage;
    assert.equal(computeCost(hostile, gpt4o)?.costNano, 0);
    // More cached than prompt tokens: cached is capped at the prompt.
    const capped = computeCost(makeUsage(100, 0, { cached: 1000 }), gpt4o);
    assert.equal(capped?.cachedNano, 125_000);
    assert.equal(capped?.inputNano, 0);
    assert.equal(computeCost(undefined, gpt4o)?.costNano, 0);
  });
});

describe('estimateWorstCaseCost', () => {
  it('charges the full prompt at the input price and the whole output cap', () => {
    // 2,000 x $2.5/M + 1,000 x $10/M = 5,000,000 + 10,000,000 nano.
    assert.equal(estimateWorstCaseCost(2000, 1000, gpt4o), 15_000_000);
  });

  it('is null when unpriced', () => {
    assert.equal(estimateWorstCaseCost(2000, 1000, undefined), null);
  });
});

describe('usageFromStream', () => {
  it('counts streamed text with the model tokenizer when no usage arrived', () => {
    const usage = usageFromStream('hello world', 9, 'gpt-4o');
    assert.deepEqual(usage, { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 });
    // 9 x $2.5/M + 2 x $10/M = 22,500 + 20,000 nano.
    assert.equal(computeCost(usage, gpt4o)?.costNano, 42_500);
  });

  it('applies the family factor for models without a public tokenizer', () => {
    const usage = usageFromStream('hello world', 0, 'claude-sonnet-4-5');
    assert.equal(usage.completion_tokens, Math.ceil(2 * 1.35));
  });

  it('handles empty output and a bad prompt estimate', () => {
    assert.deepEqual(usageFromStream('', Number.NaN), { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });
});
