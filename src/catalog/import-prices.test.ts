import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { applyPriceImport, describeChange, planPriceImport } from './import-prices.js';
import { findLiteLLMPrice, parseLiteLLMPrices, perMillion } from './litellm-prices.js';
import { validateCatalog } from './load-catalog.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const index = parseLiteLLMPrices(JSON.parse(fixture('litellm-mini.json')));
const catalogText = fixture('catalog-mini.yaml');
const validation = validateCatalog(parseYaml(catalogText));
if (!validation.ok) throw new Error(validation.issues.join('\n'));
const plan = planPriceImport(validation.file, index, { sourceLabel: 'litellm.json', asOf: '2026-07-24' });
const change = (id: string) => plan.changes.find((candidate) => candidate.deploymentId === id);

describe('parseLiteLLMPrices', () => {
  it('skips the two special keys, unpriced and malformed entries', () => {
    assert.equal(index.byKey.has('sample_spec'), false);
    assert.equal(index.byKey.has('fallback_generalizations'), false);
    assert.equal(index.byKey.has('groq/llama-3.3-70b-versatile'), false);
    assert.equal(index.byKey.has('broken-entry'), false);
    assert.equal(index.skipped, 4);
    assert.equal(index.byKey.size, 6);
  });

  it('converts per-token prices to per-million without float tails', () => {
    assert.equal(perMillion(2.5e-6), 2.5);
    assert.equal(perMillion(1.875e-8), 0.01875);
    assert.deepEqual(
      { ...index.byKey.get('gpt-4o') },
      { key: 'gpt-4o', provider: 'openai', input: 2.75, cachedInput: 1.375, output: 11 },
    );
  });

  it('takes the lowest tier of a tiered entry and notes it', () => {
    const qwen = index.byKey.get('dashscope/qwen3-max');
    assert.equal(qwen?.input, 1.2);
    assert.equal(qwen?.output, 6);
    assert.match(qwen?.tierNote ?? '', /first tier \(0-32000 prompt tokens\) of 3/);
  });

  it('matches provider/model keys and bare ids under their litellm_provider', () => {
    assert.equal(findLiteLLMPrice(index, { provider: 'openai-compatible', preset: 'openrouter', upstreamModel: 'openai/gpt-4o' })?.key, 'openrouter/openai/gpt-4o');
    assert.equal(findLiteLLMPrice(index, { provider: 'openai-compatible', preset: 'deepseek', upstreamModel: 'deepseek-chat' })?.key, 'deepseek-chat');
    // The bare gpt-4o entry belongs to openai, not to an openai-compatible vendor.
    assert.equal(findLiteLLMPrice(index, { provider: 'openai-compatible', preset: 'together', upstreamModel: 'gpt-4o' }), undefined);
    assert.equal(findLiteLLMPrice(index, { provider: 'openai-compatible', preset: 'qwen-cn', upstreamModel: 'qwen3-max' }), undefined);
    assert.equal(findLiteLLMPrice(index, { provider: 'openai', upstreamModel: 'x', priceKey: 'claude-sonnet-4-5' })?.key, 'claude-sonnet-4-5');
  });

  it('rejects a document that is not an object', () => {
    assert.throws(() => parseLiteLLMPrices([]), TypeError);
  });
});

describe('planPriceImport', () => {
  it('reports changed prices old -> new with the new provenance', () => {
    const gpt4o = change('gpt-4o@openai');
    assert.equal(gpt4o?.kind, 'changed');
    assert.deepEqual(gpt4o?.after, { input: 2.75, cachedInput: 1.375, output: 11, source: 'litellm.json#gpt-4o', asOf: '2026-07-24' });
    assert.equal(describeChange(gpt4o!), 'gpt-4o@openai: input 2.5 -> 2.75, cachedInput 1.25 -> 1.375, output 10 -> 11 (gpt-4o)');
  });

  it('prices unpriced deployments, tiered ones with a note', () => {
    assert.equal(change('deepseek-chat@deepseek')?.kind, 'added');
    assert.equal(change('deepseek-chat@deepseek')?.after.cachedInput, 0.028);
    const qwen = change('qwen3-max@qwen-intl');
    assert.equal(qwen?.kind, 'added');
    assert.match(qwen?.after.note ?? '', /tiered/);
  });

  it('tells re-dated from unchanged prices', () => {
    assert.equal(change('gpt-4o@openrouter')?.kind, 'unchanged');
    assert.equal(change('claude-sonnet-4-5@anthropic')?.kind, 'refreshed');
  });

  it('leaves unmatched deployments alone and never prices local ones', () => {
    assert.deepEqual(plan.unmatched.sort(), ['llama-3.3-70b-instruct@groq', 'qwen3-max@qwen-cn']);
    assert.deepEqual(plan.skipped, ['llama-3.3-70b-instruct@ollama']);
  });
});

describe('applyPriceImport', () => {
  const written = applyPriceImport(catalogText, plan.changes);
  const reparsed = validateCatalog(parseYaml(written));

  it('writes a catalog that still validates, keeping comments', () => {
    assert.ok(reparsed.ok, reparsed.ok ? '' : reparsed.issues.join('\n'));
    assert.match(written, /# A small catalog for importer tests/);
  });

  it('updates exactly the planned prices', () => {
    assert.ok(reparsed.ok);
    const byId = new Map(reparsed.file.models.flatMap((model) => model.deployments).map((d) => [d.id, d]));
    assert.equal(byId.get('gpt-4o@openai')?.price?.input, 2.75);
    assert.equal(byId.get('gpt-4o@openai')?.price?.source, 'litellm.json#gpt-4o');
    assert.equal(byId.get('deepseek-chat@deepseek')?.price?.output, 0.42);
    assert.equal(byId.get('qwen3-max@qwen-cn')?.price, undefined);
    assert.equal(byId.get('claude-sonnet-4-5@anthropic')?.price?.asOf, '2026-07-24');
    assert.equal(byId.get('claude-sonnet-4-5@anthropic')?.deprecationDate, '2027-09-29');
    assert.equal(byId.get('llama-3.3-70b-instruct@ollama')?.price?.input, 0);
  });

  it('refuses to write when the file no longer matches the plan', () => {
    const reordered = catalogText.replace('id: gpt-4o@openai', 'id: gpt-4o@elsewhere');
    assert.throws(() => applyPriceImport(reordered, plan.changes), /catalog changed under the import/);
  });
});
