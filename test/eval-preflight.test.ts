/**
 * Refuse before paying (issue #18 item 2): `arbiter eval` checks that every grader the run
 * needs can run (the sandbox, by a real probe program; judge models, by one short call; the
 * suite files) before the first model call, and stops with one message and exit code 2. The
 * models under test sit behind a counting proxy in front of the simulator: a refused run
 * must leave it at zero requests.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../src/sim/server.js';

let sim: Awaited<ReturnType<typeof startSimulator>>;
let proxy: Server;
let calls = 0;
let dir: string;
let configPath: string;

/** Counts every request on its way to the simulator. */
async function countingProxy(target: string): Promise<{ server: Server; url: string }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    calls += 1;
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

before(async () => {
  sim = await startSimulator({ port: 0, latencyScale: 0, seed: 3 });
  const counted = await countingProxy(sim.url);
  proxy = counted.server;
  dir = mkdtempSync(join(tmpdir(), 'arbiter-preflight-'));
  configPath = join(dir, 'arbiter.yaml');
  writeFileSync(configPath, [
    'deployments:',
    `  - { name: coder, provider: openai, upstreamModel: sim-coder-open, baseUrl: '${counted.url}/v1', apiKey: sk-test, catalogModel: sim-coder-open, simulated: true }`,
    // A judge nobody answers: port 9 (discard) on loopback refuses the connection.
    "  - { name: dead-judge, provider: openai, upstreamModel: sim-frontier, baseUrl: 'http://127.0.0.1:9/v1', apiKey: sk-test, catalogModel: sim-frontier, simulated: true, timeouts: { connectMs: 2000 } }",
    '',
  ].join('\n'));
});

after(async () => {
  await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface CliRun { code: number | null; stdout: string; stderr: string }

function runEvalCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'eval', '--config', configPath, '--db', `sqlite:${join(dir, `runs-${Math.random().toString(36).slice(2)}.db`)}`, '--no-cache', ...args], {
      env: { ...process.env, ARBITER_LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function writeSuite(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('arbiter eval refuses before the first paid call', () => {
  test('humaneval with bubblewrap missing: exit 2, one message, no model called', async () => {
    calls = 0;
    const run = await runEvalCli(['--suite', 'humaneval', '--models', 'coder', '--limit', '3'], { ARBITER_BWRAP: join(dir, 'no-such-bwrap') });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /refusing to start: nothing was called or paid/);
    assert.match(run.stderr, /humaneval runs generated code in the sandbox, but it cannot start: .*bubblewrap/);
    assert.equal(calls, 0, 'the model under test was called');
  });

  test('a bubblewrap that exists but cannot run anything: the probe catches it, no model called', async () => {
    calls = 0;
    const run = await runEvalCli(['--suite', 'humaneval', '--models', 'coder', '--limit', '3'], { ARBITER_BWRAP: '/bin/false' });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /humaneval runs generated code in the sandbox, but/);
    assert.equal(calls, 0);
  });

  test('an invalid suite file and a regex that does not compile: both named, no model called', async () => {
    calls = 0;
    const broken = writeSuite('broken.yaml', 'name: broken\ntests:\n  - prompt: hi\n    assert:\n      - { type: no-such-assertion, value: x }\n');
    const badRegex = writeSuite('bad-regex.yaml', 'name: bad-regex\ntests:\n  - prompt: hi\n    assert:\n      - { type: regex, value: "([a-z" }\n');
    const run = await runEvalCli(['--suite', `${broken},${badRegex}`, '--models', 'coder']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /suite '.*broken\.yaml' cannot be loaded/);
    // Loading stops at the first broken file's list; the regex is checked once every file loads.
    const alone = await runEvalCli(['--suite', badRegex, '--models', 'coder']);
    assert.equal(alone.code, 2, alone.stderr);
    assert.match(alone.stderr, /bad-regex bad-regex\/1: regex "\(\[a-z": Invalid regular expression/);
    assert.equal(calls, 0);
  });

  test('an llm-judge whose model cannot be reached: exit 2 before the models under test are called', async () => {
    calls = 0;
    const judged = writeSuite('judged.yaml', 'name: judged\ntests:\n  - prompt: Say hello.\n    assert:\n      - { type: llm-judge, model: dead-judge, rubric: "greets the reader" }\n');
    const run = await runEvalCli(['--suite', judged, '--models', 'coder']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /llm-judge assertions ask 'dead-judge', which cannot be called/);
    assert.equal(calls, 0);
  });

  test('the same run with a working sandbox is graded: the proxy counts the calls', async () => {
    calls = 0;
    // No bubblewrap on every machine: the probe then runs in the rlimits-only mode, which is what it checks.
    const run = await runEvalCli(['--suite', 'humaneval', '--models', 'coder', '--limit', '2', '--unsafe-no-sandbox', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { errors: number };
    assert.equal(summary.errors, 0, run.stdout);
    assert.equal(calls, 2);
  });
});
