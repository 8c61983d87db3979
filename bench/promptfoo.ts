/**
 * The eval runner beside promptfoo, the peer the goal names (>= 10x its tasks/s at <= 2 CPU
 * ms/task), on the same work: four instant fake models, one trivial check per answer, every
 * result stored (promptfoo in its SQLite database, Arbiter in a SQLite file). promptfoo is not
 * a dependency of the project: it is installed on first use into a cache folder outside the
 * repository, pinned to 0.121.20, its last release that runs on Node 20 (0.122 needs Node 22).
 *
 * Both are timed at two sizes and compared on the slope, tasks per second of the marginal
 * tasks, so promptfoo's CLI start (seconds of module loading) does not count against it.
 * Run standalone: node --import tsx bench/promptfoo.ts
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from '../src/store/database.js';
import { runEval } from '../src/evals/runner/run-eval.js';
import { fakeChatClient, fakeSuite } from '../src/evals/runner/test-support.js';

const PROMPTFOO_VERSION = '0.121.20';
const SKILLS = { a: 0.9, b: 0.7, c: 0.5, d: 0.3 };
const SIZES = [250, 1500] as const;

export interface SideBySide {
  promptfoo: Rate | { skipped: string };
  arbiter: Rate;
}

/** Marginal rate between the two sizes; tasks counts both ends' total. */
interface Rate { tasksPerSecond: number; cpuMsPerTask: number; tasks: number }

/** CPU (user + system) of this process's waited-for children, from /proc: Node reports none for them. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of stat, in clock ticks (100 Hz).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function installPromptfoo(): string {
  const dir = join(tmpdir(), `arbiter-bench-promptfoo-${PROMPTFOO_VERSION}`);
  const bin = join(dir, 'node_modules', '.bin', 'promptfoo');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const result = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', `promptfoo@${PROMPTFOO_VERSION}`], { encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0 || !existsSync(bin)) throw new Error(`npm install promptfoo@${PROMPTFOO_VERSION} failed: ${(result.stderr || result.error?.message || '').trim().split('\n').slice(-2).join(' ')}`);
  return bin;
}

/** A promptfoo provider as instant as the runner's fake: a yes/no from a hash of the prompt. */
const PROVIDER = `class Fake {
  constructor(options) { this.skill = options.config.skill; this.label = options.label; }
  id() { return 'fake-' + this.label; }
  async callApi(prompt) {
    let h = 0;
    for (let i = 0; i < prompt.length; i++) h = (h * 31 + prompt.charCodeAt(i)) >>> 0;
    h = (h ^ Math.imul(this.label.charCodeAt(0), 2654435761)) >>> 0;
    return { output: (h % 1000) / 1000 < this.skill ? 'yes' : 'no', tokenUsage: { prompt: 10, completion: 1, total: 11 } };
  }
}
module.exports = Fake;
`;

function promptfooConfig(items: number): string {
  const lines = ['description: arbiter bench', 'prompts:', "  - '{{q}}'", 'providers:'];
  for (const [label, skill] of Object.entries(SKILLS)) lines.push('  - id: file://provider.cjs', `    label: ${label}`, '    config:', `      skill: ${skill}`);
  lines.push('tests:');
  for (let index = 0; index < items; index++) lines.push('  - vars:', `      q: 'question ${index}: answer yes or no'`, '    assert:', '      - type: equals', "        value: 'yes'");
  return `${lines.join('\n')}\n`;
}

async function timePromptfoo(bin: string, dir: string, items: number): Promise<{ ms: number; cpuMs: number }> {
  const config = join(dir, `promptfoo-${items}.yaml`);
  writeFileSync(config, promptfooConfig(items));
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  let output = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(bin, ['eval', '-c', config, '--no-cache', '--max-concurrency', '8', '--no-table', '--no-progress-bar'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PROMPTFOO_CONFIG_DIR: join(dir, 'promptfoo-home'), PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', PROMPTFOO_DISABLE_SHARING: '1' },
    });
    // Only the tail is kept, for the message if it fails.
    const keep = (data: Buffer) => { output = (output + data.toString()).slice(-2000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', resolve);
  });
  // promptfoo exits 100 when some checks fail, as ours do by design.
  if (code !== 0 && code !== 100) throw new Error(`promptfoo eval exited ${code}: ${output.trim().split('\n').slice(-3).join(' ')}`);
  return { ms: performance.now() - started, cpuMs: childrenCpuMs() - cpuBefore };
}

async function timeArbiter(dir: string, items: number): Promise<{ ms: number; cpuMs: number }> {
  const store = await openStore(`sqlite:${join(dir, `arbiter-${items}.db`)}`);
  try {
    const models = Object.fromEntries(Object.entries(SKILLS).map(([name, skill]) => [name, { skill, costNano: 0 }]));
    const cpu = process.cpuUsage();
    const started = performance.now();
    await runEval({ store, chatClient: fakeChatClient({ models }), suites: [fakeSuite({ name: `side-by-side-${items}`, items })], models: Object.keys(models), concurrency: 8 });
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    await store.close();
  }
}

function slope(small: { ms: number; cpuMs: number }, large: { ms: number; cpuMs: number }): Rate {
  const tasks = 4 * (SIZES[1] - SIZES[0]);
  return { tasksPerSecond: tasks / ((large.ms - small.ms) / 1000), cpuMsPerTask: (large.cpuMs - small.cpuMs) / tasks, tasks: 4 * (SIZES[0] + SIZES[1]) };
}

export async function benchPromptfoo(): Promise<SideBySide> {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-bench-side-by-side-'));
  try {
    writeFileSync(join(dir, 'provider.cjs'), PROVIDER);
    await timeArbiter(dir, 100); // warm-up: JIT and the store's first open
    const arbiter = slope(await timeArbiter(dir, SIZES[0]), await timeArbiter(dir, SIZES[1]));
    let promptfoo: SideBySide['promptfoo'];
    try {
      const bin = installPromptfoo();
      promptfoo = slope(await timePromptfoo(bin, dir, SIZES[0]), await timePromptfoo(bin, dir, SIZES[1]));
    } catch (error) {
      promptfoo = { skipped: (error as Error).message };
    }
    return { promptfoo, arbiter };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatPromptfooBench(result: SideBySide): string {
  const line = (label: string, rate: Rate) => `  ${label.padEnd(10)} ${rate.tasksPerSecond.toFixed(0).padStart(7)} tasks/s, ${rate.cpuMsPerTask.toFixed(3)} CPU ms/task`;
  const lines = [
    `  same work for both (promptfoo ${PROMPTFOO_VERSION}): 4 instant fake models x ${SIZES[0]} and ${SIZES[1]} items, one check per answer, results in SQLite; rate of the marginal tasks`,
    line('arbiter', result.arbiter),
  ];
  if ('skipped' in result.promptfoo) {
    lines.push(`  promptfoo  skipped: ${result.promptfoo.skipped}`);
  } else {
    lines.push(line('promptfoo', result.promptfoo));
    lines.push(`  arbiter / promptfoo: ${(result.arbiter.tasksPerSecond / result.promptfoo.tasksPerSecond).toFixed(1)}x tasks/s (goal: >= 10x at <= 2 CPU ms/task)`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatPromptfooBench(await benchPromptfoo()));
}
