import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { startSimulator, type RunningSimulator } from '../sim/server.js';
import { parseInterval, registerIdentifyCommand } from './identify.js';
import { registerModelsCommand } from './models.js';

async function run(register: (program: Command) => void, args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  register(program);
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => void lines.push(parts.map(String).join(' '));
  try {
    await program.parseAsync(['node', 'arbiter', ...args]);
  } finally {
    console.log = original;
  }
  return lines.join('\n');
}

describe('arbiter identify (CLI)', () => {
  let sim: RunningSimulator;
  let dir: string;
  before(async () => {
    sim = await startSimulator({ impersonations: { 'cheap-model': { tokenizer: 'llama3', template: 'llama3', style: 'vllm-style', echoModel: 'gpt-4o' } } });
    dir = mkdtempSync(join(tmpdir(), 'arbiter-identify-'));
  });
  after(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the JSON report, stores it, and arbiter models lists it', async () => {
    const db = `sqlite:${join(dir, 'a.db')}`;
    const out = await run(registerIdentifyCommand, ['identify', `${sim.url}/v1`, '--model', 'cheap-model', '--candidates', 'o200k,cl100k,llama3,qwen', '--db', db, '--json']);
    const report = JSON.parse(out) as { verdict: { family: string }; swapDetected: boolean; spent: { requests: number } };
    assert.equal(report.verdict.family, 'llama3');
    assert.equal(report.swapDetected, false);
    assert.ok(report.spent.requests <= 16);
    const models = await run(registerModelsCommand, ['models', '--db', db]);
    assert.match(models, /Identified deployments[\s\S]*#cheap-model: llama3 \(p = 1\.00/);
  });

  it('refuses bad flags with messages naming them', async () => {
    await assert.rejects(run(registerIdentifyCommand, ['identify', sim.url, '--no-store']), /--model is required/);
    await assert.rejects(run(registerIdentifyCommand, ['identify', sim.url, '--model', 'm', '--format', 'grpc', '--no-store']), /--format must be one of openai, anthropic, gemini/);
    await assert.rejects(run(registerIdentifyCommand, ['identify', sim.url, '--model', 'm', '--budget-requests', '2', '--no-store']), /--budget-requests/);
    await assert.rejects(run(registerIdentifyCommand, ['identify', sim.url, '--model', 'm', '--candidates', 'mistral', '--no-store']), /unknown tokenizer family 'mistral'/);
    assert.equal(parseInterval('6h'), 6 * 3_600_000);
    assert.throws(() => parseInterval('soon'), /--every/);
  });
});
