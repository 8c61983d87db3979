/**
 * Gateway benchmark: the same requests straight to the simulator, through a bare undici
 * pass-through proxy, and through Arbiter; JSON and streaming; at saturation and at a fixed
 * 500 req/s. Every figure comes from one run on this machine, side by side.
 */
import { runLoad } from './load.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from './processes.js';

export interface LoadFigures { rps: number; p50Ms: number; p99Ms: number; errors: number; rssMb: number }
export type TargetName = 'simulator' | 'bare-proxy' | 'arbiter' | 'arbiter+controls';
export interface GatewayBenchResult {
  figures: Record<string, Record<TargetName, LoadFigures | undefined>>;
}

const nodeArgs = ['--enable-source-maps'];
const cli = 'dist/cli/main.js';
const urlPattern = /(http:\/\/127\.0\.0\.1:\d+)/;

function body(stream: boolean): string {
  return JSON.stringify({
    model: 'sim-swift',
    messages: [{ role: 'user', content: 'Say something short about routers.' }],
    max_tokens: 32,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  });
}

async function load(url: string, stream: boolean, mode: 'saturation' | 'fixed-500', durationSec: number, headers: Record<string, string> = {}): Promise<Omit<LoadFigures, 'rssMb'>> {
  const result = await runLoad({
    url,
    path: '/v1/chat/completions',
    headers: { authorization: 'Bearer sk-bench', ...headers },
    body: body(stream),
    durationSec,
    connections: mode === 'saturation' ? 32 : 64,
    ...(mode === 'fixed-500' ? { rate: 500 } : {}),
  });
  return { rps: result.rps, p50Ms: result.p50Ms, p99Ms: result.p99Ms, errors: result.errors };
}

function arbiterConfig(simUrl: string, controls: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-bench-'));
  const path = join(dir, 'arbiter.yaml');
  const lines = [
    'server:', '  host: 127.0.0.1', '  port: 0', '  logLevel: silent',
    'storage:', `  url: sqlite:${join(dir, 'bench.db')}`,
    'deployments:',
    '  - name: sim-swift', '    provider: openai', '    upstreamModel: sim-swift', `    baseUrl: ${simUrl}/v1`, '    apiKey: sk-sim', '    simulated: true', '    catalogModel: sim-swift',
  ];
  if (controls) lines.push('controls:', '  enabled: true');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

export async function benchGateway(options: { durationSec?: number; withControls?: () => Promise<{ headers: Record<string, string>; configPath: (simUrl: string) => string } | undefined> } = {}): Promise<GatewayBenchResult> {
  const durationSec = options.durationSec ?? 5;
  const sim = await startServerProcess(process.execPath, [...nodeArgs, cli, 'sim', '--port', '0', '--latency-scale', '0'], urlPattern);
  const servers: Array<[TargetName, ServerProcess, Record<string, string>]> = [['simulator', sim, {}]];
  try {
    const bare = await startServerProcess(process.execPath, ['--import', 'tsx', 'bench/bare-proxy.ts', sim.url], /listening (\d+)/);
    bare.url = `http://127.0.0.1:${bare.url}`;
    servers.push(['bare-proxy', bare, {}]);
    const arbiter = await startServerProcess(process.execPath, [...nodeArgs, cli, 'serve', '--config', arbiterConfig(sim.url, false)], urlPattern);
    servers.push(['arbiter', arbiter, {}]);
    const controlled = await options.withControls?.();
    if (controlled) {
      const server = await startServerProcess(process.execPath, [...nodeArgs, cli, 'serve', '--config', controlled.configPath(sim.url)], urlPattern);
      servers.push(['arbiter+controls', server, controlled.headers]);
    }
    const figures: GatewayBenchResult['figures'] = {};
    for (const stream of [false, true]) {
      for (const mode of ['saturation', 'fixed-500'] as const) {
        const scenario = `${stream ? 'stream' : 'json'} @ ${mode}`;
        figures[scenario] = { simulator: undefined, 'bare-proxy': undefined, arbiter: undefined, 'arbiter+controls': undefined };
        for (const [name, server, headers] of servers) {
          await load(server.url, stream, mode, 1, headers); // warm-up: JIT, pools, caches
          const measured = await load(server.url, stream, mode, durationSec, headers);
          figures[scenario]![name] = { ...measured, rssMb: server.rssMb() };
        }
      }
    }
    return { figures };
  } finally {
    await Promise.all(servers.map(([, server]) => server.stop()));
  }
}

export function formatGatewayBench(result: GatewayBenchResult): string {
  const lines: string[] = [];
  for (const [scenario, targets] of Object.entries(result.figures)) {
    lines.push(`\n  ${scenario}`);
    lines.push(`    ${'target'.padEnd(18)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)} ${'RSS MB'.padStart(7)}`);
    for (const [name, figures] of Object.entries(targets)) {
      if (!figures) continue;
      lines.push(`    ${name.padEnd(18)} ${String(figures.rps).padStart(8)} ${figures.p50Ms.toFixed(2).padStart(8)} ${figures.p99Ms.toFixed(2).padStart(8)} ${String(figures.errors).padStart(7)} ${String(figures.rssMb).padStart(7)}`);
    }
    const bare = targets['bare-proxy'];
    for (const name of ['arbiter', 'arbiter+controls'] as const) {
      const ours = targets[name];
      if (bare && ours) {
        lines.push(`    ${name} vs bare proxy: throughput ${(100 * ours.rps / bare.rps).toFixed(1)}%, added p50 ${(ours.p50Ms - bare.p50Ms).toFixed(2)} ms, added p99 ${(ours.p99Ms - bare.p99Ms).toFixed(2)} ms`);
      }
    }
  }
  return lines.join('\n');
}
