import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toModelFilter } from './models.js';

describe('arbiter models flags', () => {
  it('turns flags into the pure filter', () => {
    assert.deepEqual(toModelFilter({
      family: 'cn-open,us-eu-open', vendor: 'deepseek', openWeights: 'yes', supports: 'tools,json_schema',
      maxInputPrice: '0.5', minContext: '128k', region: 'us, eu',
    }), {
      family: ['cn-open', 'us-eu-open'], vendor: ['deepseek'], jurisdiction: undefined, openWeights: true, region: ['us', 'eu'],
      residency: undefined, supports: ['tools', 'json_schema'], maxInputPrice: 0.5, minContext: 128_000, includeSimulated: true,
    });
  });

  it('rejects malformed flags with a message naming them', () => {
    assert.throws(() => toModelFilter({ family: 'martian' }), /unknown family 'martian'/);
    assert.throws(() => toModelFilter({ openWeights: 'maybe' }), /--open-weights/);
    assert.throws(() => toModelFilter({ maxInputPrice: 'cheap' }), /--max-input-price/);
    assert.equal(toModelFilter({ simulated: false }).includeSimulated, false);
  });
});
