/**
 * Fault injection: by configuration (global and per-model rates) or per request through
 * `x-sim-*` headers. Rates are decided by the seeded hash of a per-model request counter, so a
 * chaos test that sends the same requests in the same order sees the same faults.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { unitHash } from './random.js';

export interface SimFaults {
  errorRate: number;
  rateLimitRate: number;
  spikeRate: number;
  spikeMs: number;
  cutRate: number;
  malformedRate: number;
}

/** `stream-error`: an in-band error event half-way through a stream (an overloaded status for JSON). */
export type FaultKind = 'error' | '429' | 'spike' | 'cut' | 'malformed' | 'hang' | 'stream-error';

export interface FaultDecision { kind?: FaultKind; spikeMs: number }

export const NO_FAULTS: SimFaults = { errorRate: 0, rateLimitRate: 0, spikeRate: 0, spikeMs: 2000, cutRate: 0, malformedRate: 0 };

const KINDS = new Set<string>(['error', '429', 'spike', 'cut', 'malformed', 'hang', 'stream-error']);

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function rate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number.parseFloat(value);
  return Number.isFinite(parsed) ? Math.min(1, Math.max(0, parsed)) : undefined;
}

export function decideFault(headers: IncomingHttpHeaders, faults: SimFaults, seed: number, model: string, counter: number): FaultDecision {
  const spikeHeader = Number.parseInt(header(headers, 'x-sim-spike-ms') ?? '', 10);
  const spikeMs = Number.isFinite(spikeHeader) && spikeHeader >= 0 ? Math.min(spikeHeader, 600_000) : faults.spikeMs;
  const forced = header(headers, 'x-sim-fault')?.trim().toLowerCase();
  if (forced && KINDS.has(forced)) return { kind: forced as FaultKind, spikeMs };
  const errorRate = rate(header(headers, 'x-sim-error-rate')) ?? faults.errorRate;
  const rateLimitRate = rate(header(headers, 'x-sim-429-rate')) ?? faults.rateLimitRate;
  if (errorRate > 0 && unitHash('fault-error', seed, model, counter) < errorRate) return { kind: 'error', spikeMs };
  if (rateLimitRate > 0 && unitHash('fault-429', seed, model, counter) < rateLimitRate) return { kind: '429', spikeMs };
  if (faults.malformedRate > 0 && unitHash('fault-malformed', seed, model, counter) < faults.malformedRate) return { kind: 'malformed', spikeMs };
  if (faults.cutRate > 0 && unitHash('fault-cut', seed, model, counter) < faults.cutRate) return { kind: 'cut', spikeMs };
  if (faults.spikeRate > 0 && unitHash('fault-spike', seed, model, counter) < faults.spikeRate) return { kind: 'spike', spikeMs };
  return { spikeMs };
}

/** An explicit per-request seed (`x-sim-seed`), folded into the simulator seed. */
export function requestSeed(headers: IncomingHttpHeaders): string | undefined {
  return header(headers, 'x-sim-seed');
}

/** `x-sim-output-tokens`: answer with at least this many tokens, to test what caps and budgets do with long outputs. */
export function requestOutputTokens(headers: IncomingHttpHeaders): number | undefined {
  const value = Number.parseInt(header(headers, 'x-sim-output-tokens') ?? '', 10);
  return Number.isFinite(value) && value > 0 ? Math.min(value, 200_000) : undefined;
}
