import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { checkCatalog } from './check-catalog.js';

const mini = (): Record<string, unknown> => parseYaml(readFileSync(new URL('./__fixtures__/catalog-mini.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('checkCatalog', () => {
  it('passes a valid catalog and flags prices older than the limit, except local ones', () => {
    const result = checkCatalog(mini(), { today: '2026-07-30', maxAgeDays: 90 });
    assert.deepEqual(result.errors, []);
    // gpt-4o@openai (2026-01-10) and claude (2026-01-01) are stale; the local ollama price never is.
    assert.deepEqual(result.warnings.filter((w) => w.kind === 'stale-price').map((w) => w.deploymentId).sort(),
      ['claude-sonnet-4-5@anthropic', 'gpt-4o@openai']);
    assert.equal(result.stats.unpriced, 4);
  });

  it('reports schema errors by path and id', () => {
    const raw = mini();
    const models = raw.models as Array<Record<string, unknown>>;
    const deployments = models[0]?.deployments as Array<Record<string, unknown>>;
    (deployments[0] as Record<string, unknown>).price = { input: -1, output: 1, source: '', asOf: '2026-02-30' };
    models[1]!.family = 'martian';
    const result = checkCatalog(raw, { today: '2026-07-30' });
    assert.ok(result.errors.length >= 4, result.errors.join('\n'));
    assert.ok(result.errors.some((e) => e.startsWith('models[0](gpt-4o).deployments[0](gpt-4o@openai).price.input')), result.errors.join('\n'));
    assert.ok(result.errors.some((e) => e.includes('asOf')));
    assert.ok(result.errors.some((e) => e.startsWith('models[1](deepseek-chat).family')));
  });

  it('rejects duplicate ids and openai-compatible deployments without a preset', () => {
    const raw = mini();
    const models = raw.models as Array<Record<string, unknown>>;
    const deployments = models[0]?.deployments as Array<Record<string, unknown>>;
    deployments[1]!.id = 'gpt-4o@openai';
    delete deployments[1]!.preset;
    const result = checkCatalog(raw, { today: '2026-07-30' });
    assert.ok(result.errors.some((e) => e.includes("duplicate deployment id 'gpt-4o@openai'")));
    assert.ok(result.errors.some((e) => e.includes('need a preset')));
  });

  it('warns about retired model ids and future-dated prices', () => {
    const raw = mini();
    const deployment = ((raw.models as Array<Record<string, unknown>>)[0]?.deployments as Array<Record<string, unknown>>)[0]!;
    deployment.deprecationDate = '2026-06-01';
    const result = checkCatalog(raw, { today: '2026-01-05' });
    assert.ok(result.warnings.some((w) => w.kind === 'future-price'));
    const later = checkCatalog(raw, { today: '2026-06-01' });
    assert.ok(later.warnings.some((w) => w.kind === 'retired' && w.deploymentId === 'gpt-4o@openai'));
  });

  it('fails a catalog whose model id collides with a simulated model', () => {
    const raw = mini();
    (raw.models as Array<Record<string, unknown>>)[0]!.id = 'sim-frontier';
    assert.ok(checkCatalog(raw, { today: '2026-07-30' }).errors.some((e) => e.includes('collides')));
  });
});
