import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ArbiterError } from '../core/errors.js';
import { loadConfigFile, parseConfig } from './load.js';

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ArbiterError);
    return error.message;
  }
  assert.fail('the config was accepted');
}

test('a misspelled key is refused with its path, not silently dropped', () => {
  // A route whose floor is ignored would route to models the policy meant to keep out.
  const message = configError(() => parseConfig({ routes: { support: { task: 'qa', qualityfloor: 0.7 } } }, {}));
  assert.match(message, /routes\.support: Unrecognized key: "qualityfloor"/);
  assert.match(configError(() => parseConfig({ server: { prot: 4000 } }, {})), /server: Unrecognized key: "prot"/);
  assert.match(configError(() => parseConfig({ deployments: [{ name: 'a', provider: 'openai', upstreamModel: 'm', apikey: 'x' }] }, {})), /deployments\[0\]: Unrecognized key: "apikey"/);
  assert.match(configError(() => parseConfig({ routes: { r: { compliance: { denyJurisdiction: ['CN'] } } } }, {})), /routes\.r\.compliance: Unrecognized key/);
});

test('wrong types name the field', () => {
  assert.match(configError(() => parseConfig({ server: { port: 'eighty' } }, {})), /server\.port/);
  assert.match(configError(() => parseConfig({ routes: { r: { qualityFloor: 2 } } }, {})), /routes\.r\.qualityFloor/);
  assert.match(configError(() => parseConfig({ deployments: [{ name: 'a', provider: 'nope', upstreamModel: 'm' }] }, {})), /deployments\[0\]\.provider/);
});

test('${VAR} and ${VAR:-default} come from the environment; keys never need to be in the file', () => {
  const config = parseConfig({
    deployments: [{ name: 'a', provider: 'openai', upstreamModel: 'm', apiKey: '${OPENAI_API_KEY}', region: '${REGION:-us}' }],
  }, { OPENAI_API_KEY: 'sk-from-env' });
  assert.equal(config.deployments[0]?.apiKey, 'sk-from-env');
  assert.equal(config.deployments[0]?.region, 'us');
});

test('defaults fill an empty file; a YAML syntax error and a missing file are clear errors', () => {
  const config = parseConfig(undefined, {});
  assert.equal(config.server.port, 4000);
  assert.equal(config.storage.url, 'sqlite:.arbiter/arbiter.db');
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-config-'));
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'routes:\n  a: [unclosed\n');
  assert.match(configError(() => loadConfigFile(broken, {})), /not valid YAML/);
  assert.match(configError(() => loadConfigFile(join(dir, 'missing.yaml'), {})), /Cannot read config file/);
});
