import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterModels, parseCapabilities } from './filter-models.js';
import type { CatalogDeployment, CatalogModel } from './schema.js';

function model(id: string, fields: Partial<CatalogModel>, deployments: Array<Partial<CatalogDeployment>>): CatalogModel {
  return {
    id, name: id, family: 'us-closed', vendor: 'openai', jurisdiction: 'US', openWeights: false, license: 'proprietary',
    contextWindow: 128_000, maxOutput: 4096, modalities: { input: ['text'], output: ['text'] },
    capabilities: { tools: true, parallelTools: false, jsonSchema: false, reasoning: false, vision: false },
    ...fields,
    deployments: deployments.map((d, i) => ({
      id: `${id}@${i}`, modelId: id, provider: 'openai', upstreamModel: id, region: 'us', dataResidency: 'US', ...d,
    })),
  };
}

const price = (input: number, output: number) => ({ input, output, source: 's', asOf: '2026-07-24' });
const models = [
  model('closed-big', { contextWindow: 1_000_000, capabilities: { tools: true, parallelTools: true, jsonSchema: true, reasoning: true, vision: true } }, [{ price: price(5, 15) }]),
  model('cn-open', { family: 'cn-open', vendor: 'deepseek', jurisdiction: 'CN', openWeights: true }, [
    { price: price(0.28, 0.42), region: 'cn', dataResidency: 'CN' }, { price: price(0.5, 1), region: 'us' }, { region: 'sg', dataResidency: 'SG' },
  ]),
  model('eu-open', { family: 'us-eu-open', vendor: 'mistral', jurisdiction: 'FR', openWeights: true, contextWindow: 32_000 }, [{ price: price(0.7, 0.7), region: 'eu', dataResidency: 'EU' }]),
  model('sim', { family: 'simulated', simulated: true }, [{ price: price(0.15, 0.6) }]),
];
const ids = (rows: ReturnType<typeof filterModels>) => rows.map((row) => row.deployment.id);

describe('filterModels', () => {
  it('lists every deployment cheapest first by blended 3:1 price, unpriced last', () => {
    // Blended: sim 0.26, cn@0 0.315, cn@1 0.625, eu 0.7, closed 7.5.
    assert.deepEqual(ids(filterModels(models)), ['sim@0', 'cn-open@0', 'cn-open@1', 'eu-open@0', 'closed-big@0', 'cn-open@2']);
  });

  it('filters by family, vendor and jurisdiction', () => {
    assert.deepEqual(ids(filterModels(models, { family: ['cn-open', 'us-eu-open'] })), ['cn-open@0', 'cn-open@1', 'eu-open@0', 'cn-open@2']);
    assert.deepEqual(ids(filterModels(models, { vendor: ['MISTRAL'] })), ['eu-open@0']);
    assert.deepEqual(ids(filterModels(models, { jurisdiction: ['cn'] })), ['cn-open@0', 'cn-open@1', 'cn-open@2']);
  });

  it('filters by open weights, region and residency per deployment', () => {
    assert.deepEqual(ids(filterModels(models, { openWeights: false, includeSimulated: false })), ['closed-big@0']);
    assert.deepEqual(ids(filterModels(models, { openWeights: true, region: ['us'] })), ['cn-open@1']);
    assert.deepEqual(ids(filterModels(models, { residency: ['eu', 'sg'] })), ['eu-open@0', 'cn-open@2']);
  });

  it('requires every listed capability', () => {
    assert.deepEqual(ids(filterModels(models, { supports: ['tools', 'json_schema'] })), ['closed-big@0']);
  });

  it('applies price ceilings (excluding unpriced) and context floors', () => {
    assert.deepEqual(ids(filterModels(models, { maxInputPrice: 0.5, includeSimulated: false })), ['cn-open@0', 'cn-open@1']);
    assert.deepEqual(ids(filterModels(models, { minContext: 200_000 })), ['closed-big@0']);
  });

  it('parses capability lists and rejects unknown names', () => {
    assert.deepEqual(parseCapabilities('tools, json-schema,vision'), ['tools', 'json_schema', 'vision']);
    assert.throws(() => parseCapabilities('tools,telepathy'), /unknown capability 'telepathy'/);
  });
});
