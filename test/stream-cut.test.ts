/**
 * Streams that break, through the gateway on a port with the simulator behind it in each
 * upstream format, driven by the official `openai` client. A cut (or a malformed event) after
 * the first byte is never a clean end: the client raises, no `[DONE]` is sent, the audit row
 * says `upstream_cut` with the tokens that arrived, and the route budget is charged what they
 * cost. One before the first byte falls back to the next deployment.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { parseConfig } from '../src/config/load.js';
import { startArbiter, type RunningArbiter } from '../src/gateway/start.js';
import { startSimulator, type RunningSimulator } from '../src/sim/server.js';
import { openStore } from '../src/store/database.js';

const formats = ['openai', 'anthropic', 'gemini'] as const;
type Format = typeof formats[number];

let healthy: RunningSimulator;
/** Cuts every stream right after its 200, before any event. */
let cutting: RunningSimulator;
/** Sends a malformed first event on every stream. */
let garbling: RunningSimulator;
let arbiter: RunningArbiter;
let client: OpenAI;
let dir: string;
let dbUrl: string;

function deployment(name: string, model: string, format: Format, sim: RunningSimulator) {
  return {
    name, model, provider: format, upstreamModel: 'sim-frontier', baseUrl: format === 'openai' ? `${sim.url}/v1` : sim.url,
    apiKey: format === 'gemini' ? 'AIza-test-key-000000000000' : 'sk-test', catalogModel: 'sim-frontier', simulated: true,
  };
}

before(async () => {
  healthy = await startSimulator({ port: 0, latencyScale: 0, seed: 3 });
  cutting = await startSimulator({ port: 0, latencyScale: 0, seed: 3, faults: { cutRate: 1, faultAtFrame: 0 } });
  garbling = await startSimulator({ port: 0, latencyScale: 0, seed: 3, faults: { malformedRate: 1, faultAtFrame: 0 } });
  dir = mkdtempSync(join(tmpdir(), 'arbiter-stream-cut-'));
  dbUrl = `sqlite:${join(dir, 'arbiter.db')}`;
  const deployments = formats.flatMap((format) => [
    deployment(`via-${format}`, `via-${format}`, format, healthy),
    deployment(`cut-${format}`, `first-cut-${format}`, format, cutting),
    deployment(`ok-${format}`, `first-cut-${format}`, format, healthy),
    deployment(`garbled-${format}`, `first-garbled-${format}`, format, garbling),
    deployment(`fine-${format}`, `first-garbled-${format}`, format, healthy),
  ]);
  const routes = Object.fromEntries(formats.map((format) => [`r-${format}`, { candidates: [`via-${format}`], budgets: ['10usd/day'] }]));
  const config = parseConfig({ server: { port: 0, logLevel: 'silent' }, storage: { url: dbUrl }, deployments, routes }, {});
  arbiter = await startArbiter({ config, env: {}, quiet: true });
  client = new OpenAI({ baseURL: `${arbiter.url}/v1`, apiKey: 'local', maxRetries: 0 });
});

after(async () => {
  await arbiter?.close();
  await Promise.all([healthy?.close(), cutting?.close(), garbling?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const messages = [{ role: 'user' as const, content: 'Describe a lighthouse at night in one long paragraph.' }];

/** Streams through the official client, which must raise; returns the text that came first and the request id. */
async function streamExpectingError(model: string, fault: string): Promise<{ text: string; requestId: string; error: InstanceType<typeof OpenAI.APIError> }> {
  const { data, response } = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } }, { headers: { 'x-sim-fault': fault } }).withResponse();
  let text = '';
  let caught: unknown;
  try {
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof OpenAI.APIError, `${model}: the client raised (${String(caught)})`);
  return { text, requestId: response.headers.get('x-request-id')!, error: caught };
}

const cutRequests = new Map<Format, string>();
const fallbackRequests = new Map<Format, string>();

describe('a stream cut after the first byte', () => {
  for (const format of formats) {
    test(`${format}: the official client raises after the text that arrived; the wire holds an upstream_cut error event and no [DONE]`, async () => {
      const { text, requestId, error } = await streamExpectingError(`r-${format}`, 'cut');
      assert.ok(text.length > 0, 'text before the cut was delivered');
      assert.match(error.message, /cut the stream short|ended the stream/);
      cutRequests.set(format, requestId);

      const res = await fetch(`${arbiter.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-sim-fault': 'cut' },
        body: JSON.stringify({ model: `r-${format}`, messages, stream: true }),
      });
      assert.equal(res.status, 200);
      const body = await res.text();
      assert.doesNotMatch(body, /\[DONE\]/);
      const events = body.split('\n\n').filter((event) => event.startsWith('data: '));
      const last = JSON.parse(events.at(-1)!.slice('data: '.length)) as { error?: { code?: string; type?: string } };
      assert.equal(last.error?.code, 'upstream_cut');
      assert.equal(last.error?.type, 'api_error');
    });
  }

  test('a whole stream from the same route ends with [DONE] (the cut is the fault, not the route)', async () => {
    const res = await fetch(`${arbiter.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'r-anthropic', messages, stream: true }),
    });
    assert.match(await res.text(), /data: \[DONE\]\n\n$/);
  });
});

describe('a malformed event', () => {
  test('later in an OpenAI-format stream (cut short but ending in }): the client raises and the broken chunk is never forwarded', async () => {
    const { text } = await streamExpectingError('via-openai', 'malformed');
    assert.ok(text.length > 0);
    const res = await fetch(`${arbiter.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-sim-fault': 'malformed' },
      body: JSON.stringify({ model: 'via-openai', messages, stream: true }),
    });
    const body = await res.text();
    assert.doesNotMatch(body, /chatcmpl-broken/);
    assert.doesNotMatch(body, /\[DONE\]/);
    assert.match(body, /"code":"upstream_error"/);
  });

  for (const format of formats) {
    test(`${format}: as the first event, falls back to the next deployment`, async () => {
      const { data, response } = await client.chat.completions.create({ model: `first-garbled-${format}`, messages, stream: true }).withResponse();
      let text = '';
      for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
      assert.ok(text.length > 20, text);
      assert.equal(response.headers.get('x-arbiter-deployment'), `fine-${format}`);
      assert.equal(response.headers.get('x-arbiter-fallbacks'), '1');
    });
  }
});

describe('a stream cut before the first byte', () => {
  for (const format of formats) {
    test(`${format}: falls back to the next deployment, and the client gets the whole answer`, async () => {
      const whole = await client.chat.completions.create({ model: `via-${format}`, messages });
      const { data, response } = await client.chat.completions.create({ model: `first-cut-${format}`, messages, stream: true }).withResponse();
      let text = '';
      for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
      assert.equal(text, whole.choices[0]!.message.content);
      assert.equal(response.headers.get('x-arbiter-deployment'), `ok-${format}`);
      fallbackRequests.set(format, response.headers.get('x-request-id')!);
      assert.equal(response.headers.get('x-arbiter-retries'), '1');
      assert.equal(response.headers.get('x-arbiter-fallbacks'), '1');
    });
  }
});

describe('what a cut stream leaves behind', () => {
  test('each cut has an audit row saying upstream_cut with the tokens seen and their cost, and the route budget is charged that cost', async () => {
    assert.equal(cutRequests.size, formats.length, 'the cut tests ran first');
    await arbiter.close();
    const store = await openStore(dbUrl);
    try {
      for (const format of formats) {
        const row = await store.db.selectFrom('audit_log').selectAll().where('request_id', '=', cutRequests.get(format)!).executeTakeFirstOrThrow();
        assert.equal(row.error_code, 'upstream_cut', format);
        assert.equal(row.status, 502, format);
        assert.equal(row.streamed, 1);
        assert.equal(row.deployment, `via-${format}`);
        assert.ok(row.prompt_tokens > 0, `${format}: prompt tokens counted`);
        assert.ok(row.completion_tokens > 0, `${format}: the tokens that arrived are counted`);
        assert.ok(Number(row.cost_nano) > 0, `${format}: a cost was set`);
        // The route's spend is what its streams were billed: both cut requests, nothing for the reservation.
        const rows = await store.db.selectFrom('audit_log').select(['cost_nano']).where('route', '=', `r-${format}`).execute();
        const audited = rows.reduce((sum, entry) => sum + Number(entry.cost_nano ?? 0), 0);
        const spend = await store.db.selectFrom('control_spend').selectAll().where('scope', 'like', `route:r-${format}:usd:%`).execute();
        assert.equal(spend.length, 1, format);
        assert.equal(Number(spend[0]!.spent), audited, `${format}: spend equals the audited cost of the route's streams`);
        // The fallback's failed attempts were cuts after the 200, not refused connections.
        const fallback = await store.db.selectFrom('audit_log').selectAll().where('request_id', '=', fallbackRequests.get(format)!).executeTakeFirstOrThrow();
        const attempts = JSON.parse(fallback.attempts_json ?? '[]') as Array<{ deployment: string; ok: boolean; errorCode?: string }>;
        assert.deepEqual(attempts.map((attempt) => [attempt.deployment, attempt.ok, attempt.errorCode]), [[`cut-${format}`, false, 'upstream_cut'], [`cut-${format}`, false, 'upstream_cut'], [`ok-${format}`, true, undefined]]);
      }
    } finally {
      await store.close();
    }
  });
});
