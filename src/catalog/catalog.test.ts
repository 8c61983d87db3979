import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from '../core/provider.js';
import { deploymentsOf, findDeployment, findModel, loadCatalog, pricesFor, resolveDeployment } from './index.js';

const timeouts = { connectMs: 1, firstByteMs: 1, totalMs: 1 };
const runtime = (fields: Partial<Deployment> & Pick<Deployment, 'name' | 'provider' | 'upstreamModel'>): Deployment =>
  ({ model: fields.name, baseUrl: 'http://x', timeouts, ...fields });

describe('catalog lookups', () => {
  it('caches the loaded catalog', () => {
    assert.equal(loadCatalog(), loadCatalog());
  });

  it('finds models by id or alias, case-insensitively', () => {
    assert.equal(findModel('gpt-4o')?.vendor, 'openai');
    assert.equal(findModel('GPT-4o-2024-08-06')?.id, 'gpt-4o');
    assert.equal(findModel('no-such-model'), undefined);
  });

  it('finds deployments and lists a model\'s deployments', () => {
    assert.equal(findDeployment('deepseek-chat@deepseek')?.modelId, 'deepseek-chat');
    assert.ok(deploymentsOf('deepseek-chat').length >= 2);
    assert.deepEqual(deploymentsOf('nothing'), []);
  });

  it('prices by deployment id, or by model id from its first priced deployment', () => {
    assert.equal(pricesFor('gpt-4o@openai')?.input, 2.5);
    assert.equal(pricesFor('gpt-4o')?.input, 2.5);
    assert.equal(pricesFor('qwen-max@qwen-cn'), undefined);
  });
});

describe('resolveDeployment (runtime deployments from config)', () => {
  it('matches by catalogModel on the same provider', () => {
    const resolved = resolveDeployment(runtime({ name: 'fast', provider: 'openai', upstreamModel: 'gpt-4o-mini', catalogModel: 'gpt-4o-mini' }));
    assert.equal(resolved.deployment?.id, 'gpt-4o-mini@openai');
    assert.equal(resolved.matchedBy, 'catalog-model');
  });

  it('matches by upstream model id and preset when no catalogModel is given', () => {
    const resolved = resolveDeployment(runtime({ name: 'ds', provider: 'openai-compatible', preset: 'deepseek', upstreamModel: 'deepseek-reasoner' }));
    assert.equal(resolved.model?.id, 'deepseek-reasoner');
    assert.equal(resolved.price?.output, 0.42);
  });

  it('does not borrow another host\'s price', () => {
    const resolved = resolveDeployment(runtime({ name: 'az', provider: 'openai-compatible', preset: 'together', upstreamModel: 'gpt-4o', catalogModel: 'gpt-4o' }));
    assert.equal(resolved.price, undefined);
    assert.equal(resolved.model?.id, 'gpt-4o');
    assert.equal(resolved.matchedBy, 'none');
  });

  it('prices unknown local models at zero with provenance', () => {
    const resolved = resolveDeployment(runtime({ name: 'mine', provider: 'openai-compatible', preset: 'ollama', upstreamModel: 'my-finetune:1b' }));
    assert.equal(resolved.matchedBy, 'local');
    assert.equal(resolved.price?.input, 0);
    assert.match(resolved.price?.source ?? '', /local inference/);
  });

  it('maps simulated deployments to simulated prices only', () => {
    const sim = resolveDeployment(runtime({ name: 'sim-frontier', provider: 'anthropic', upstreamModel: 'sim-frontier', simulated: true }));
    assert.equal(sim.deployment?.id, 'sim-frontier@sim-anthropic');
    assert.equal(sim.price?.input, 5);
    const notSim = resolveDeployment(runtime({ name: 'x', provider: 'openai', upstreamModel: 'sim-frontier' }));
    assert.equal(notSim.price, undefined);
  });

  it('prefers an exact catalog deployment id', () => {
    assert.equal(pricesFor(runtime({ name: 'gpt-4o@openrouter', provider: 'openai-compatible', preset: 'openrouter', upstreamModel: 'openai/gpt-4o' }))?.source,
      'data/reference/litellm-model-prices.json#openrouter/openai/gpt-4o');
  });
});
