/**
 * A small load generator with microsecond latency resolution (autocannon's histogram counts
 * whole milliseconds, too coarse for a sub-millisecond overhead goal). Closed loop for
 * saturation, open loop (requests on a fixed schedule) for a fixed rate.
 */
import { Pool } from 'undici';

export interface LoadResult { rps: number; p50Ms: number; p99Ms: number; errors: number; count: number }

export interface LoadOptions {
  url: string;
  path: string;
  body: string;
  headers?: Record<string, string>;
  durationSec: number;
  /** Closed loop with this many concurrent requests. */
  connections: number;
  /** Open loop at this many requests per second (connections then caps concurrency). */
  rate?: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(options.url, { connections: options.connections, keepAliveTimeout: 30_000 });
  const headers = { 'content-type': 'application/json', ...options.headers };
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + options.durationSec * 1000;

  async function one(): Promise<void> {
    const start = performance.now();
    try {
      const response = await pool.request({ method: 'POST', path: options.path, headers, body: options.body });
      for await (const _chunk of response.body) { /* drain: the last byte is the end of the request */ }
      if (response.statusCode !== 200) errors++;
      else latencies.push(performance.now() - start);
    } catch {
      errors++;
    }
  }

  const started = performance.now();
  if (options.rate) {
    const interval = 1000 / options.rate;
    const inFlight = new Set<Promise<void>>();
    let next = performance.now();
    while (next < deadline) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const request = one().finally(() => inFlight.delete(request));
      inFlight.add(request);
      next += interval;
    }
    await Promise.all(inFlight);
  } else {
    await Promise.all(Array.from({ length: options.connections }, async () => {
      while (performance.now() < deadline) await one();
    }));
  }
  const elapsedSec = (performance.now() - started) / 1000;
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  return { rps: Math.round(latencies.length / elapsedSec), p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), errors, count: latencies.length };
}
