/**
 * `identify` end to end against the simulator's impersonated endpoints. The perturbations
 * here are held out from the benchmark zoo (a Mistral-style template, a CJK hidden system
 * prompt, a tokenizer missing from the candidates), so passing them is not tuning to the zoo.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TokenizerId } from '../core/family-tokenizers.js';
import { startSimulator, type RunningSimulator } from '../sim/server.js';
import type { ImpersonatedEndpoint } from '../sim/impersonate-endpoint.js';
import { testDialects, openTestStore } from '../store/test-support.js';
import { identificationHistory, latestIdentifications } from '../store/identifications.js';
import { identifyEndpoint, planRequests } from './identify-endpoint.js';
import { recordIdentification } from './record-identification.js';
import { CONFIDENT_PROBABILITY } from './verdict.js';

// The smaller vocabularies keep this file quick; the benchmark runs all of them.
const CANDIDATES: TokenizerId[] = ['o200k', 'cl100k', 'qwen', 'llama3', 'deepseek-v3', 'llama2', 'claude-legacy'];
const HIDDEN_CJK = '你是一个乐于助人的助手。请用简洁的中文或英文回答。🙂';

const impersonations: Record<string, ImpersonatedEndpoint> = {};
for (const family of ['qwen', 'llama3', 'deepseek-v3', 'llama2', 'claude-legacy'] as const) {
  impersonations[`held-out-${family}`] = { tokenizer: family, template: 'mistral-inst', hiddenSystemPrompt: HIDDEN_CJK, jitter: 1, style: 'vllm-style' };
}
impersonations['held-out-o200k'] = { tokenizer: 'o200k', template: 'openai', hiddenSystemPrompt: HIDDEN_CJK, jitter: 1, style: 'openai' };
// A Llama 2 model claiming to be GPT-4o behind a recounting proxy.
impersonations['reseller-proxy'] = { tokenizer: 'llama2', template: 'llama2-inst', recount: 'cl100k', style: 'generic', echoModel: 'gpt-4o', persona: 'o200k' };

let sim: RunningSimulator;
before(async () => {
  sim = await startSimulator({ impersonations });
});
after(async () => {
  await sim.close();
});

function target(model: string, format: 'openai' | 'anthropic' | 'gemini' = 'openai') {
  return { url: `${sim.url}/v1`, model, format };
}

describe('arbiter identify against impersonated endpoints', () => {
  for (const family of ['qwen', 'llama3', 'deepseek-v3', 'llama2', 'claude-legacy', 'o200k'] as const) {
    it(`names ${family} behind a held-out template, a CJK hidden prompt and ±1 jitter, within budget`, async () => {
      const report = await identifyEndpoint({ target: target(`held-out-${family}`), candidates: CANDIDATES });
      assert.equal(report.verdict.family, family, JSON.stringify(report.evidence.slice(0, 3)));
      assert.ok(report.verdict.probability >= CONFIDENT_PROBABILITY);
      assert.ok(report.spent.requests <= 16, `${report.spent.requests} requests`);
      assert.ok(report.spent.promptTokens <= 3000, `${report.spent.promptTokens} prompt tokens`);
      assert.ok(report.evidence.some((row) => row.pass === 'tokenizer' && row.weight === 'decisive'));
      assert.ok(report.evidence.some((row) => row.pass === 'behaviour'));
    });
  }

  it('abstains when the real tokenizer is not among the candidates', async () => {
    const report = await identifyEndpoint({ target: target('held-out-llama2'), candidates: CANDIDATES.filter((id) => id !== 'llama2') });
    assert.equal(report.verdict.family, 'unknown');
    assert.equal(report.tokenizer?.match, undefined);
    assert.equal(report.verdict.ranked[0]?.id, 'other');
  });

  it('does not believe a reseller proxy: cl100k counts, a GPT-4o name and a ChatGPT persona give unknown', async () => {
    const report = await identifyEndpoint({ target: target('reseller-proxy'), candidates: CANDIDATES });
    assert.equal(report.tokenizer?.match?.tokenizer, 'cl100k');
    assert.equal(report.passive?.echoedModel, 'gpt-4o');
    assert.equal(report.verdict.confident, false);
    assert.equal(report.verdict.family, 'unknown');
  });

  it('works in the Anthropic and Gemini formats too', async () => {
    for (const format of ['anthropic', 'gemini'] as const) {
      const report = await identifyEndpoint({ target: target('held-out-qwen', format), candidates: CANDIDATES, budgetRequests: 10 });
      assert.equal(report.verdict.family, 'qwen', format);
      assert.ok(report.spent.requests <= 10);
    }
  });

  it('keeps to a small budget and refuses one too small for the tokenizer pass', async () => {
    const report = await identifyEndpoint({ target: target('held-out-llama3'), candidates: CANDIDATES, budgetRequests: 6 });
    assert.equal(report.spent.requests, 6);
    assert.equal(report.behaviour, undefined);
    assert.equal(report.verdict.family, 'llama3');
    assert.throws(() => planRequests(3, { reference: false, format: 'openai' }), /--budget-requests must be an integer of at least 4/);
  });

  it('compares output distributions with a reference endpoint', async () => {
    const same = await identifyEndpoint({ target: target('held-out-qwen'), reference: target('held-out-qwen'), candidates: CANDIDATES });
    assert.ok(same.reference, 'the reference pass ran');
    assert.equal(same.reference.differs, false);
    assert.ok(same.spent.requests <= 16);
    assert.equal(same.spent.referenceRequests, 4);
  });
});

describe('identifications per deployment', async () => {
  for (const dialect of await testDialects()) {
    it(`flag a silent swap between two runs (${dialect})`, async () => {
      const { store, cleanup } = await openTestStore(dialect);
      try {
        impersonations['swap-me'] = { tokenizer: 'o200k', template: 'openai', style: 'openai' };
        const first = await recordIdentification(store, 'prod-gpt', await identifyEndpoint({ target: target('swap-me'), candidates: CANDIDATES, budgetRequests: 9 }));
        assert.equal(first.family, 'o200k');
        assert.equal(first.changed, false);
        const again = await recordIdentification(store, 'prod-gpt', await identifyEndpoint({ target: target('swap-me'), candidates: CANDIDATES, budgetRequests: 9 }));
        assert.equal(again.changed, false, 'the same model again is no swap');
        // The reseller swaps in a cheaper model and keeps the name.
        impersonations['swap-me'] = { tokenizer: 'qwen', template: 'chatml', style: 'openai', echoModel: 'swap-me' };
        const swapped = await recordIdentification(store, 'prod-gpt', await identifyEndpoint({ target: target('swap-me'), candidates: CANDIDATES, budgetRequests: 9 }));
        assert.equal(swapped.changed, true);
        assert.equal(swapped.changeReason, 'tokenizer o200k -> qwen');
        const latest = await latestIdentifications(store);
        assert.equal(latest.length, 1);
        assert.equal(latest[0]?.family, 'qwen');
        assert.equal(latest[0]?.changed, true);
        assert.equal((await identificationHistory(store, 'prod-gpt')).length, 3);
      } finally {
        await cleanup();
      }
    });
  }
});
