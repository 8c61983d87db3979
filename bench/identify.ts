/**
 * `arbiter identify` over a zoo of simulated endpoints: every shipped tokenizer family under
 * five perturbations (native template, hidden system prompt, ±1 jitter, another family's
 * template, all three at once) and three seeds, plus a recounting proxy per family and seed,
 * reported apart (its counts are cl100k whatever the model: abstaining is the right answer).
 * Goals: >= 95% top-1 family-set accuracy, 0 confident wrong, <= 16 requests and <= 3,000
 * prompt tokens per endpoint. The probes are chosen from the tokenizers alone, never the zoo.
 */
import { TOKENIZER_IDS, countFamilyTokens } from '../dist/core/family-tokenizers.js';
import { startSimulator } from '../dist/sim/server.js';
import { buildZoo, type ZooEndpoint, type ZooPerturbation } from '../dist/sim/zoo.js';
import { identifyEndpoint } from '../dist/identify/index.js';

interface Outcome { entry: ZooEndpoint; top1: boolean; confidentRight: boolean; confidentWrong: boolean; requests: number; promptTokens: number }

export interface IdentifyBenchResult {
  families: number;
  loadMs: number;
  scored: Outcome[];
  proxies: Outcome[];
  ms: number;
}

export async function benchIdentify(): Promise<IdentifyBenchResult> {
  const loadStarted = performance.now();
  for (const id of TOKENIZER_IDS) countFamilyTokens(id, 'warm');
  const loadMs = performance.now() - loadStarted;
  const zoo = buildZoo({ families: TOKENIZER_IDS, seeds: [1, 2, 3] });
  const sim = await startSimulator({ impersonations: Object.fromEntries(zoo.map((entry) => [entry.id, entry.endpoint])) });
  const started = performance.now();
  const outcomes: Outcome[] = [];
  try {
    for (const entry of zoo) {
      const report = await identifyEndpoint({ target: { url: `${sim.url}/v1`, model: entry.id, format: 'openai' } });
      const top = report.verdict.ranked[0];
      const top1 = top !== undefined && top.set.includes(entry.truth);
      outcomes.push({
        entry,
        top1,
        confidentRight: report.verdict.confident && top1,
        // A proxy-recount endpoint's only right confident answer would be its real family.
        confidentWrong: report.verdict.confident && !top1,
        requests: report.spent.requests,
        promptTokens: report.spent.promptTokens,
      });
    }
  } finally {
    await sim.close();
  }
  return {
    families: TOKENIZER_IDS.length,
    loadMs,
    scored: outcomes.filter((o) => o.entry.perturbation !== 'proxy-recount'),
    proxies: outcomes.filter((o) => o.entry.perturbation === 'proxy-recount'),
    ms: performance.now() - started,
  };
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

export function formatIdentifyBench(result: IdentifyBenchResult): string {
  const { scored, proxies } = result;
  const all = [...scored, ...proxies];
  const confident = scored.filter((o) => o.confidentRight).length;
  const wrong = all.filter((o) => o.confidentWrong).length;
  const requests = all.map((o) => o.requests);
  const tokens = all.map((o) => o.promptTokens);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const lines = [
    `  zoo: ${result.families} tokenizer families x 5 perturbations x 3 seeds = ${scored.length} endpoints, + ${proxies.length} behind a cl100k-recounting proxy`,
    `  top-1 family-set accuracy (confident and right): ${confident}/${scored.length} = ${pct(confident, scored.length)} (goal >= 95%); top-1 regardless of confidence ${pct(scored.filter((o) => o.top1).length, scored.length)}`,
    `  confident wrong: ${wrong} over all ${all.length} endpoints (goal 0); proxies abstained: ${proxies.filter((o) => !o.confidentRight && !o.confidentWrong).length}/${proxies.length}`,
    `  per endpoint: requests mean ${mean(requests).toFixed(1)}, max ${Math.max(...requests)} (goal <= 16); prompt tokens mean ${mean(tokens).toFixed(0)}, max ${Math.max(...tokens)} (goal <= 3,000)`,
  ];
  const perturbations: ZooPerturbation[] = ['native', 'hidden-system', 'jitter', 'foreign-template', 'combined'];
  lines.push(`  by perturbation: ${perturbations.map((p) => {
    const rows = scored.filter((o) => o.entry.perturbation === p);
    return `${p} ${pct(rows.filter((o) => o.confidentRight).length, rows.length)}`;
  }).join(', ')}`);
  const missed = scored.filter((o) => !o.confidentRight).map((o) => o.entry.id);
  if (missed.length > 0) lines.push(`  not identified: ${missed.slice(0, 12).join(', ')}${missed.length > 12 ? ', ...' : ''}`);
  lines.push(`  time: tokenizers loaded in ${(result.loadMs / 1000).toFixed(1)} s, ${all.length} identifications in ${(result.ms / 1000).toFixed(1)} s (${(result.ms / all.length).toFixed(0)} ms each, simulator in process)`);
  return lines.join('\n');
}
