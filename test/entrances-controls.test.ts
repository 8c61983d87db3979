/**
 * The controls bind on every entrance, because every entrance runs the same path: a key's
 * token budget, its requests-per-minute limit and its tool allow-list hold on /v1/messages
 * and /v1/responses as on /v1/chat/completions, refusals come back in each entrance's error
 * shape, and the audit row names the entrance. Hostile bodies get a 4xx in the entrance's
 * shape, never a 5xx.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { parseConfig } from '../src/config/load.js';
import { KeyService } from '../src/controls/keys.js';
import { startArbiter, type RunningArbiter } from '../src/gateway/start.js';
import { startSimulator } from '../src/sim/server.js';
import { openStore } from '../src/store/database.js';

let sim: Awaited<ReturnType<typeof startSimulator>>;
let arbiter: RunningArbiter;
let dir: string;
let dbUrl: string;
const secrets: Record<string, string> = {};

before(async () => {
  sim = await startSimulator({ port: 0, latencyScale: 0, seed: 11 });
  dir = mkdtempSync(join(tmpdir(), 'arbiter-entrances-'));
  dbUrl = `sqlite:${join(dir, 'arbiter.db')}`;
  const config = parseConfig({
    server: { port: 0, logLevel: 'silent' },
    storage: { url: dbUrl },
    deployments: [
      { name: 'sim-frontier', provider: 'anthropic', upstreamModel: 'sim-frontier', baseUrl: sim.url, apiKey: 'sk-ant-test', catalogModel: 'sim-frontier', simulated: true },
    ],
  }, {});
  const store = await openStore(dbUrl);
  const keys = new KeyService(store);
  for (const entrance of ['chat', 'messages', 'responses']) {
    secrets[`budget-${entrance}`] = (await keys.create({ name: `budget-${entrance}`, budgets: [{ kind: 'tokens', limit: 400, period: 'day' }] })).key;
    secrets[`rpm-${entrance}`] = (await keys.create({ name: `rpm-${entrance}`, rpm: 2 })).key;
    secrets[`tools-${entrance}`] = (await keys.create({ name: `tools-${entrance}`, allowedTools: ['get_local_time'] })).key;
  }
  secrets.plain = (await keys.create({ name: 'plain' })).key;
  await store.close();
  arbiter = await startArbiter({ config, env: {}, quiet: true });
});

after(async () => {
  await arbiter?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const anthropicFor = (key: string) => new Anthropic({ baseURL: arbiter.url, apiKey: key, maxRetries: 0 });
const openaiFor = (key: string) => new OpenAI({ baseURL: `${arbiter.url}/v1`, apiKey: key, maxRetries: 0 });
const prompt = 'Describe a lighthouse in one paragraph.';

/** One request on an entrance with a key; resolves to the HTTP status and the parsed error body when it failed. */
async function call(entrance: 'chat' | 'messages' | 'responses', key: string): Promise<{ status: number; body?: unknown; headers?: Headers }> {
  try {
    if (entrance === 'messages') await anthropicFor(key).messages.create({ model: 'sim-frontier', max_tokens: 60, messages: [{ role: 'user', content: prompt }] });
    else if (entrance === 'responses') await openaiFor(key).responses.create({ model: 'sim-frontier', max_output_tokens: 60, input: prompt });
    else await openaiFor(key).chat.completions.create({ model: 'sim-frontier', max_tokens: 60, messages: [{ role: 'user', content: prompt }] });
    return { status: 200 };
  } catch (error) {
    const apiError = error as { status?: number; error?: unknown; headers?: Headers };
    if (typeof apiError.status !== 'number') throw error;
    return { status: apiError.status, body: apiError.error, headers: apiError.headers };
  }
}

function assertShape(entrance: 'chat' | 'messages' | 'responses', body: unknown, anthropicType: string): void {
  if (entrance === 'messages') {
    // The SDK keeps the whole body: { type: 'error', error: { type, message } }.
    const shaped = body as { type?: string; error?: { type?: string; message?: string } };
    assert.equal(shaped.type, 'error');
    assert.equal(shaped.error?.type, anthropicType);
    assert.equal(typeof shaped.error?.message, 'string');
  } else {
    // The openai SDK unwraps { error: {...} } into its error member.
    const shaped = body as { message?: string; type?: string; code?: string };
    assert.equal(typeof shaped.message, 'string');
    assert.equal(typeof shaped.code, 'string');
  }
}

describe('controls on every entrance', () => {
  for (const entrance of ['chat', 'messages', 'responses'] as const) {
    test(`${entrance}: a key's token budget runs out after a few requests, refused with 429 in the entrance's shape`, async () => {
      const statuses: number[] = [];
      let refusal: { status: number; body?: unknown } | undefined;
      for (let i = 0; i < 12 && !refusal; i++) {
        const result = await call(entrance, secrets[`budget-${entrance}`]!);
        statuses.push(result.status);
        if (result.status !== 200) refusal = result;
      }
      assert.ok(statuses[0] === 200, `the first request fits the budget: ${statuses.join(',')}`);
      assert.ok(refusal, `the budget binds within 12 requests: ${statuses.join(',')}`);
      assert.equal(refusal.status, 429);
      assertShape(entrance, refusal.body, 'rate_limit_error');
      if (entrance !== 'messages') assert.equal((refusal.body as { code?: string }).code, 'budget_exceeded');
    });

    test(`${entrance}: requests per minute: the third is 429 with Retry-After`, async () => {
      const key = secrets[`rpm-${entrance}`]!;
      assert.equal((await call(entrance, key)).status, 200);
      assert.equal((await call(entrance, key)).status, 200);
      const third = await call(entrance, key);
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers?.get('retry-after')) >= 1);
      assertShape(entrance, third.body, 'rate_limit_error');
    });
  }

  test('the tool allow-list strips a disallowed tool on messages and responses alike', async () => {
    const weather = { name: 'get_weather', description: 'Weather in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
    const time = { name: 'get_local_time', description: 'Local time in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
    const ask = 'What is the weather and the local time in Lisbon?';
    const viaMessages = await anthropicFor(secrets['tools-messages']!).messages.create({ model: 'sim-frontier', max_tokens: 200, tools: [weather, time], messages: [{ role: 'user', content: ask }] });
    const messageTools = viaMessages.content.flatMap((block) => block.type === 'tool_use' ? [block.name] : []);
    assert.deepEqual(messageTools, ['get_local_time']);
    const viaResponses = await openaiFor(secrets['tools-responses']!).responses.create({
      model: 'sim-frontier', input: ask,
      tools: [weather, time].map((tool) => ({ type: 'function' as const, name: tool.name, description: tool.description, parameters: tool.input_schema, strict: false })),
    });
    assert.deepEqual(viaResponses.output.flatMap((item) => item.type === 'function_call' ? [item.name] : []), ['get_local_time']);
    // The unrestricted key sees both: the list, not the prompt, removed get_weather.
    const open = await anthropicFor(secrets.plain!).messages.create({ model: 'sim-frontier', max_tokens: 200, tools: [weather, time], messages: [{ role: 'user', content: ask }] });
    assert.deepEqual(open.content.flatMap((block) => block.type === 'tool_use' ? [block.name] : []), ['get_weather', 'get_local_time']);
  });

  test('hostile bodies get a 4xx in the entrance\'s own error shape, never a 5xx', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i++) deep = { a: deep };
    const bodies: Array<string> = [
      'not json', '[]', 'null', '"a string"', '{}', JSON.stringify({ model: 'sim-frontier' }),
      JSON.stringify({ model: 'sim-frontier', max_tokens: -1, max_output_tokens: -1, messages: [{ role: 'user', content: 'hi' }], input: 'hi', system: 7 }),
      JSON.stringify({ model: 'sim-frontier', max_tokens: 10, messages: [{ role: 'tool', content: 'hi' }], input: [{ type: 'item_reference', id: 'x' }] }),
      JSON.stringify({ model: 'sim-frontier', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'server_tool_use' }] }], input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }] }),
      JSON.stringify({ model: 'sim-frontier', max_tokens: 10, messages: [{ role: 'user', content: null }], input: [null] }),
      JSON.stringify({ model: 'sim-frontier', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], input: 'hi', tools: [{ type: 'web_search_20250305', name: 'web_search' }, { type: 'web_search' }] }),
      JSON.stringify({ model: 'sim-frontier', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], input: 'hi', tool_choice: { type: 'tool', name: 'nope' } }),
      JSON.stringify({ model: 'sim-frontier', max_tokens: 10, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'x', name: 'f', input: 'str' }] }], input: [{ type: 'function_call_output', output: 'x' }] }),
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}, "model": "sim-frontier", "max_tokens": 10, "messages": {"length": 1}, "input": {"0": "x"}}',
      JSON.stringify({ model: 'sim-frontier', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], input: 'hi', deep }),
      JSON.stringify({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], input: 'hi' }),
    ];
    for (const path of ['/v1/messages', '/v1/messages/count_tokens', '/v1/responses']) {
      for (const body of bodies) {
        const response = await fetch(`${arbiter.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': secrets.plain!, authorization: `Bearer ${secrets.plain}` }, body });
        const text = await response.text();
        assert.ok(response.status >= 400 && response.status < 500, `${path} ${body.slice(0, 80)} → ${response.status} ${text}`);
        const parsed = JSON.parse(text) as { type?: string; error?: { type?: string; message?: string; param?: unknown } };
        if (path.startsWith('/v1/messages')) {
          assert.equal(parsed.type, 'error', text);
          assert.equal(typeof parsed.error?.type, 'string', text);
        } else {
          assert.equal(typeof parsed.error?.message, 'string', text);
          assert.ok('param' in (parsed.error ?? {}), text);
        }
      }
    }
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
    // A missing key on the Messages entrance is Anthropic's 401.
    const anonymous = await fetch(`${arbiter.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'arb_wrong' }, body: '{}' });
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error?: { type?: string } }).error?.type, 'authentication_error');
  });

  test('the audit rows name the entrance each request came in by', async () => {
    await call('chat', secrets.plain!);
    await call('messages', secrets.plain!);
    await call('responses', secrets.plain!);
    await openaiFor(secrets.plain!).embeddings.create({ model: 'sim-frontier', input: 'x' }).catch(() => undefined);
    await arbiter.close();
    const store = await openStore(dbUrl);
    try {
      const rows = await store.db.selectFrom('audit_log').select(['entrance', 'status', 'key_name']).where('key_name', '=', 'plain').execute();
      const entrances = new Set(rows.filter((row) => row.status === 200).map((row) => row.entrance));
      for (const entrance of ['chat', 'messages', 'responses']) assert.ok(entrances.has(entrance), `${entrance} in ${[...entrances].join(',')}`);
      // The hostile bodies were refused at their entrance and are on record as such.
      const refused = new Set(rows.filter((row) => row.status >= 400).map((row) => row.entrance));
      assert.ok(refused.has('messages') && refused.has('responses'), [...refused].join(','));
      assert.ok(rows.some((row) => row.entrance === 'embeddings'), 'embeddings named too');
    } finally {
      await store.close();
    }
  });
});
