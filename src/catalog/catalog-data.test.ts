// The shipped catalog (data/catalog/models.yaml) as facts: valid, broad, and every price sourced.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CATALOG_PATH, loadCatalog, readCatalogDocument, validateCatalog } from './load-catalog.js';
import { isLocalPreset } from './schema.js';
import { SIM_SLATE } from '../sim/slate.js';

const validation = validateCatalog(readCatalogDocument(DEFAULT_CATALOG_PATH));
const catalog = loadCatalog();
const real = catalog.models.filter((model) => !model.simulated);

describe('shipped catalog', () => {
  it('validates entry by entry', () => {
    assert.ok(validation.ok, validation.ok ? '' : validation.issues.join('\n'));
  });

  it('holds at least 40 real models across US closed, US/EU open, China open and local', () => {
    assert.ok(real.length >= 40, `only ${real.length} models`);
    const families = new Set(real.map((model) => model.family));
    for (const family of ['us-closed', 'us-eu-open', 'cn-open', 'local'] as const) assert.ok(families.has(family), family);
  });

  it('covers the vendors the router is asked about', () => {
    const ids = new Set(catalog.models.map((model) => model.id));
    for (const id of ['gpt-4o', 'gpt-4.1', 'gpt-5', 'o3', 'claude-haiku-4-5', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'gemini-2.5-pro',
      'llama-3.3-70b-instruct', 'mixtral-8x7b-instruct', 'gemma-3-27b-it', 'deepseek-chat', 'deepseek-reasoner', 'qwen-max', 'qwen-plus',
      'qwen-turbo', 'qwen-flash', 'qwen3-32b', 'kimi-k2.5', 'glm-4.6', 'minimax-m2']) {
      assert.ok(ids.has(id), id);
    }
  });

  it('gives every priced deployment a source and a date, and prices every local one at zero', () => {
    for (const deployment of catalog.deployments) {
      if (deployment.price) {
        assert.ok(deployment.price.source.length > 0, deployment.id);
        assert.match(deployment.price.asOf, /^\d{4}-\d{2}-\d{2}$/, deployment.id);
      }
      if (isLocalPreset(deployment.preset)) {
        assert.deepEqual([deployment.id, deployment.price?.input, deployment.price?.output], [deployment.id, 0, 0]);
        assert.equal(deployment.dataResidency, 'LOCAL', deployment.id);
      }
    }
  });

  it('has unique deployment ids and a preset on every openai-compatible deployment', () => {
    const ids = catalog.deployments.map((deployment) => deployment.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const deployment of catalog.deployments) {
      if (deployment.provider === 'openai-compatible') assert.ok(deployment.preset, deployment.id);
    }
  });

  it('includes every simulated model, labelled, with all three wire formats covered', () => {
    for (const profile of SIM_SLATE) {
      const model = catalog.findModel(profile.id);
      assert.equal(model?.family, 'simulated');
      assert.equal(model?.simulated, true);
      assert.match(model?.name ?? '', /SIMULATED/);
      assert.equal(model?.deployments[0]?.provider, 'openai');
      assert.equal(model?.deployments[0]?.price?.input, profile.price.input);
      assert.equal(model?.deployments[0]?.price?.source, 'simulated profile (src/sim/slate.ts)');
    }
    const simProviders = new Set(catalog.deployments.filter((deployment) => deployment.simulated).map((deployment) => deployment.provider));
    assert.deepEqual([...simProviders].sort(), ['anthropic', 'gemini', 'openai']);
  });
});
