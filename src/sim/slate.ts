/**
 * The simulated model slate: one source of truth for the simulator's behaviour and the
 * catalog's entries for simulated models. Every model here is SIMULATED: its results say
 * nothing about any real model, and every surface that shows them labels them so.
 */
export type SimTaskKind = 'code' | 'qa' | 'tools' | 'json';

export interface SimModelProfile {
  id: string;
  label: string;
  /** What real-world tier it imitates; never a claim about a real model. */
  imitates: string;
  vendor: string;
  jurisdiction: string;
  openWeights: boolean;
  license: string;
  region: string;
  contextWindow: number;
  maxOutput: number;
  /** USD per million tokens. */
  price: { input: number; cachedInput: number; output: number };
  /** Probability of a correct answer on a known eval task of each kind. */
  skill: Record<SimTaskKind, number>;
  /** Time to first token, milliseconds: lognormal-ish around the median, capped at p99. */
  ttftMs: { median: number; p99: number };
  tokensPerSecond: { median: number; min: number };
  /** Probability that a call fails with a 500 / with a 429 (Retry-After). */
  errorRate: number;
  rateLimitRate: number;
  capabilities: { tools: boolean; parallelTools: boolean; jsonSchema: boolean; vision: boolean; reasoning: boolean };
}

export const SIM_SLATE: readonly SimModelProfile[] = [
  {
    id: 'sim-frontier',
    label: 'Simulated frontier model (costly, strong, closed-style)',
    imitates: 'a US closed frontier model',
    vendor: 'simulated-closed',
    jurisdiction: 'US',
    openWeights: false,
    license: 'proprietary',
    region: 'us',
    contextWindow: 200_000,
    maxOutput: 16_384,
    price: { input: 5, cachedInput: 0.5, output: 15 },
    skill: { code: 0.92, qa: 0.9, tools: 0.93, json: 0.96 },
    ttftMs: { median: 450, p99: 1500 },
    tokensPerSecond: { median: 80, min: 30 },
    errorRate: 0.005,
    rateLimitRate: 0.005,
    capabilities: { tools: true, parallelTools: true, jsonSchema: true, vision: true, reasoning: true },
  },
  {
    id: 'sim-swift',
    label: 'Simulated fast model (cheap, quick, mid quality)',
    imitates: 'a US closed small/fast model',
    vendor: 'simulated-closed',
    jurisdiction: 'US',
    openWeights: false,
    license: 'proprietary',
    region: 'us',
    contextWindow: 128_000,
    maxOutput: 16_384,
    price: { input: 0.15, cachedInput: 0.075, output: 0.6 },
    skill: { code: 0.7, qa: 0.8, tools: 0.82, json: 0.88 },
    ttftMs: { median: 200, p99: 700 },
    tokensPerSecond: { median: 150, min: 60 },
    errorRate: 0.01,
    rateLimitRate: 0.01,
    capabilities: { tools: true, parallelTools: true, jsonSchema: true, vision: true, reasoning: false },
  },
  {
    id: 'sim-coder-open',
    label: 'Simulated open-weights coder (cheap, strong at code)',
    imitates: 'a China open-weights coding model',
    vendor: 'simulated-open',
    jurisdiction: 'CN',
    openWeights: true,
    license: 'apache-2.0',
    region: 'cn',
    contextWindow: 128_000,
    maxOutput: 8_192,
    price: { input: 0.27, cachedInput: 0.07, output: 1.1 },
    skill: { code: 0.88, qa: 0.78, tools: 0.8, json: 0.85 },
    ttftMs: { median: 600, p99: 2500 },
    tokensPerSecond: { median: 60, min: 20 },
    errorRate: 0.02,
    rateLimitRate: 0.02,
    capabilities: { tools: true, parallelTools: true, jsonSchema: true, vision: false, reasoning: false },
  },
  {
    id: 'sim-local-small',
    label: 'Simulated local small model (free, weak, runs on-prem)',
    imitates: 'a small open model served locally',
    vendor: 'simulated-local',
    jurisdiction: 'LOCAL',
    openWeights: true,
    license: 'apache-2.0',
    region: 'local',
    contextWindow: 32_768,
    maxOutput: 4_096,
    price: { input: 0, cachedInput: 0, output: 0 },
    skill: { code: 0.3, qa: 0.55, tools: 0.45, json: 0.5 },
    ttftMs: { median: 150, p99: 600 },
    tokensPerSecond: { median: 40, min: 15 },
    errorRate: 0,
    rateLimitRate: 0,
    capabilities: { tools: true, parallelTools: false, jsonSchema: true, vision: false, reasoning: false },
  },
];

export function findSimModel(id: string): SimModelProfile | undefined {
  return SIM_SLATE.find((model) => model.id === id);
}
