/**
 * `npm run bench`: every benchmark in one run, side by side, on this machine. Figures are
 * printed with the ratio each goal is stated in; nothing here asserts timing (tests don't).
 */
import { benchGateway, formatGatewayBench } from './gateway.js';
import { benchEvals, formatEvalsBench } from './evals.js';
import { benchSandbox, formatSandboxBench } from './sandbox.js';
import { benchRouter, formatRouterBench } from './router.js';
import { benchPromptfoo, formatPromptfooBench } from './promptfoo.js';
import { benchIdentify, formatIdentifyBench } from './identify.js';

interface Section { title: string; run: () => Promise<string> }

const only = process.argv.slice(2);
const sections: Section[] = [
  {
    // First: the gateway benchmark's in-process load generator leaves a large heap behind.
    title: 'Router: decision time per request',
    run: async () => formatRouterBench(benchRouter()),
  },
  {
    title: 'Gateway: simulator direct vs bare undici proxy vs Arbiter (plain, routing, controls; messages and responses entrances)',
    run: async () => formatGatewayBench(await benchGateway({ durationSec: Number(process.env.BENCH_SECONDS ?? 3) })),
  },
  {
    title: 'Eval runner: throughput, CPU per task, fail-fast saving',
    run: async () => formatEvalsBench(await benchEvals()),
  },
  {
    // Installs promptfoo on first use, outside the repository (see bench/promptfoo.ts).
    title: 'Eval runner beside promptfoo: same fake models and checks, side by side',
    run: async () => formatPromptfooBench(await benchPromptfoo()),
  },
  {
    title: 'Sandbox: warm fork-server pool vs bwrap per task',
    run: async () => formatSandboxBench(await benchSandbox()),
  },
  {
    title: 'Identify: family-set accuracy over a zoo of impersonated endpoints',
    run: async () => formatIdentifyBench(await benchIdentify()),
  },
];

const started = Date.now();
console.log(`Arbiter benchmarks — node ${process.version}, ${(await import('node:os')).cpus().length} cores. Upstream is the SIMULATOR (latency scale 0).`);
for (const section of sections) {
  if (only.length > 0 && !only.some((name) => section.title.toLowerCase().includes(name.toLowerCase()))) continue;
  console.log(`\n== ${section.title}`);
  try {
    console.log(await section.run());
  } catch (error) {
    console.log(`  failed: ${(error as Error).message}`);
  }
}
console.log(`\nbenchmarks done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
