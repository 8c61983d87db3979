import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { openStore } from '../store/database.js';
import { runEval } from '../evals/runner/run-eval.js';
import { fakeChatClient, fakeSuite } from '../evals/runner/test-support.js';
import { registerReportCommand } from './report.js';
import { registerDiffCommand } from './diff.js';
import { registerTrendCommand } from './trend.js';
import { adHocDeployment, integerFlag, parseMinPass } from './eval.js';

async function cli(args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  registerReportCommand(program);
  registerDiffCommand(program);
  registerTrendCommand(program);
  await program.parseAsync(['node', 'arbiter', ...args]);
}

test('report, diff and trend read runs from the database named by --db', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-cli-'));
  const db = `sqlite:${join(dir, 'arbiter.db')}`;
  try {
    const store = await openStore(db);
    const suites = [fakeSuite({ name: 'qa-mini', items: 40 })];
    const before = await runEval({ store, chatClient: fakeChatClient({ models: { m: { skill: 0.95, costNano: 10 } } }), suites, models: ['m'], isSimulated: () => true, newRunId: () => 'run-a', now: () => 1000 });
    // Same model name, much weaker "new version": a regression on shared items.
    const after = await runEval({ store, chatClient: fakeChatClient({ models: { m: { skill: 0.3, costNano: 10 } } }), suites, models: ['m'], isSimulated: () => true, newRunId: () => 'run-b', now: () => 2000, useCache: false });
    await store.close();
    assert.equal(before.runId, 'run-a');

    await cli(['report', 'run-a', '--db', db, '--format', 'html', '--out', join(dir, 'r.html')]);
    assert.match(readFileSync(join(dir, 'r.html'), 'utf8'), /SIMULATED[\s\S]*pareto-front|SIMULATED[\s\S]*Pareto/);
    await cli(['report', '--db', db, '--format', 'md', '--out', join(dir, 'latest.md')]);
    assert.match(readFileSync(join(dir, 'latest.md'), 'utf8'), /run-b \(SIMULATED\)/);

    const previousExit = process.exitCode;
    await cli(['diff', 'run-a', after.runId, '--db', db, '--format', 'json', '--fail-on-regression', '--out', join(dir, 'd.json')]);
    const diff = JSON.parse(readFileSync(join(dir, 'd.json'), 'utf8')) as { regressions: number; label: string };
    assert.equal(diff.regressions, 1);
    assert.equal(diff.label, 'SIMULATED');
    assert.equal(process.exitCode, 1);
    process.exitCode = previousExit;

    await cli(['trend', '--suite', 'qa-mini', '--since', '1970-01-01T00:00:00Z', '--db', db, '--out', join(dir, 't.txt')]);
    assert.match(readFileSync(join(dir, 't.txt'), 'utf8'), /run-a[\s\S]*run-b[\s\S]*REGRESSION/);
    await assert.rejects(cli(['report', 'nope', '--db', db]), /no eval run 'nope'/);
    await assert.rejects(cli(['report', 'run-a', '--db', db, '--format', 'pdf']), /--format takes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval flag parsing: ad-hoc endpoints and min-pass', () => {
  assert.deepEqual(adHocDeployment('openai-compatible:llama3@http://127.0.0.1:11434/v1', 'OLLAMA_KEY'), {
    name: 'openai-compatible:llama3@http://127.0.0.1:11434/v1', model: 'openai-compatible:llama3@http://127.0.0.1:11434/v1',
    provider: 'openai-compatible', upstreamModel: 'llama3', baseUrl: 'http://127.0.0.1:11434/v1', apiKeyEnv: 'OLLAMA_KEY',
  });
  assert.equal(adHocDeployment('sim-frontier', undefined), undefined);
  assert.equal(parseMinPass('0.6'), 0.6);
  assert.equal(parseMinPass('60%'), 0.6);
  assert.throws(() => parseMinPass('150'), /--min-pass/);
  assert.equal(adHocDeployment('openai-compatible:llama3.1:8b@http://h:1/v1', undefined)?.upstreamModel, 'llama3.1:8b');
  assert.throws(() => adHocDeployment('openai-compatible:llama3', undefined), /openai-compatible:MODEL@BASE_URL/);
  assert.throws(() => adHocDeployment('openai-compatible:llama3@localhost:11434', undefined), /openai-compatible:MODEL@BASE_URL/);
});

test('eval integer flags refuse what would plan an empty or endless run', () => {
  const limit = integerFlag('--limit', 1);
  assert.equal(limit('25'), 25);
  for (const bad of ['abc', '0', '-3', '2.5', '']) assert.throws(() => limit(bad), /--limit needs a whole number of at least 1/);
  assert.equal(integerFlag('--seed', 0)('0'), 0);
});
