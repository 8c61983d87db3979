/**
 * Names a client controls never index a plain object (issue #18 item 1): every
 * Object.prototype name, and generated hostile Unicode (lone surrogates, NUL, 10k-character
 * names), in every client-controlled name field of every endpoint gets a 4xx in the OpenAI
 * error shape where the name must be known (a model, a route), and never a 5xx anywhere.
 *
 * The endpoints are a table: a new entrance (/v1/messages, /v1/responses) adds its rows with
 * its own base request and error-shape check.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.js';
import { KeyService } from '../src/controls/keys.js';
import { startArbiter, type RunningArbiter } from '../src/gateway/start.js';
import { startSimulator } from '../src/sim/server.js';
import { openStore } from '../src/store/database.js';

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** A request as sent: the path, the JSON body (or none) and the headers. */
interface Sent { method: 'GET' | 'POST'; path: string; body?: unknown; headers?: Record<string, string> }

interface NameField {
  field: string;
  /**
   * 'known': the name must exist, so a hostile one is refused (4xx); 'any': it may be served;
   * 'model': known, except that a key bound to a route sends any unknown model to its route.
   */
  must: 'known' | 'model' | 'any';
  /** Header fields carry only what HTTP can: visible ASCII. */
  carrier?: 'header';
  /** `model`: the caller's usual model (each caller goes through another upstream format). */
  build(name: string, model: string): Sent;
}

interface Endpoint {
  name: string;
  fields: NameField[];
  /** The error shape of this entrance; undefined when the body is not one. */
  errorOf(body: unknown): string | undefined;
}

function openAiError(body: unknown): string | undefined {
  const error = (body as { error?: { message?: unknown; type?: unknown; code?: unknown; param?: unknown } } | null)?.error;
  if (!error || typeof error !== 'object') return 'no error object';
  if (typeof error.message !== 'string' || typeof error.type !== 'string') return 'error without message and type';
  if (!('param' in error) || !('code' in error)) return 'error without param and code';
  return undefined;
}

const user = [{ role: 'user', content: 'hi' }];
const chatPost = (body: object, headers?: Record<string, string>): Sent => ({ method: 'POST', path: '/v1/chat/completions', body, headers });
const tool = (name: string) => ({ type: 'function', function: { name, parameters: { type: 'object', properties: {} } } });

function chatFields(stream: boolean): NameField[] {
  const chat = (model: string) => ({ model, messages: user, max_tokens: 8, ...(stream ? { stream: true } : {}) });
  return [
    { field: 'model', must: 'model', build: (name, model) => chatPost({ ...chat(model), model: name }) },
    { field: 'x-arbiter-route', must: 'known', carrier: 'header', build: (name, model) => chatPost(chat(model), { 'x-arbiter-route': name }) },
    { field: 'tools[].function.name', must: 'any', build: (name, model) => chatPost({ ...chat(model), tools: [tool(name)] }) },
    { field: 'tool_choice.function.name', must: 'any', build: (name, model) => chatPost({ ...chat(model), tools: [tool('lookup')], tool_choice: { type: 'function', function: { name } } }) },
    { field: 'forced tool by its name', must: 'any', build: (name, model) => chatPost({ ...chat(model), tools: [tool(name)], tool_choice: { type: 'function', function: { name } } }) },
    {
      field: 'messages[].tool_calls[].function.name', must: 'any', build: (name, model) => chatPost({ ...chat(model), messages: [
        ...user,
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name, arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
      ], tools: [tool(name)] }),
    },
    { field: 'messages[].name', must: 'any', build: (name, model) => chatPost({ ...chat(model), messages: [{ role: 'user', content: 'hi', name }] }) },
    { field: 'metadata key', must: 'any', build: (name, model) => chatPost({ ...chat(model), metadata: { [name]: 'v' } }) },
    { field: 'response_format.json_schema.name', must: 'any', build: (name, model) => chatPost({ ...chat(model), response_format: { type: 'json_schema', json_schema: { name, schema: { type: 'object', properties: {} } } } }) },
    { field: 'json_schema property name', must: 'any', build: (name, model) => chatPost({ ...chat(model), response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { [name]: { type: 'string' } } } } } }) },
    { field: 'x-arbiter-* header name', must: 'any', carrier: 'header', build: (name, model) => chatPost(chat(model), { [`x-arbiter-${name}`]: name }) },
    { field: 'x-sim-* header name', must: 'any', carrier: 'header', build: (name, model) => chatPost(chat(model), { [`x-sim-${name}`]: name }) },
    { field: 'x-sim-fault header', must: 'any', carrier: 'header', build: (name, model) => chatPost(chat(model), { 'x-sim-fault': name }) },
    { field: 'x-arbiter-cache header', must: 'any', carrier: 'header', build: (name, model) => chatPost(chat(model), { 'x-arbiter-cache': name, 'cache-control': name }) },
    { field: 'image_url file extension', must: 'any', build: (name, model) => chatPost({ ...chat(model), messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: `https://example.invalid/a.${name}` } }] }] }) },
    { field: 'header name', must: 'any', carrier: 'header', build: (name, model) => chatPost(chat(model), { [name]: name }) },
    { field: 'x-request-id', must: 'any', carrier: 'header', build: (name, model) => chatPost(chat(model), { 'x-request-id': name }) },
  ];
}

const ENDPOINTS: Endpoint[] = [
  { name: 'POST /v1/chat/completions', errorOf: openAiError, fields: chatFields(false) },
  { name: 'POST /v1/chat/completions (stream)', errorOf: openAiError, fields: chatFields(true) },
  {
    name: 'POST /v1/embeddings', errorOf: openAiError, fields: [
      { field: 'model', must: 'known', build: (name) => ({ method: 'POST', path: '/v1/embeddings', body: { model: name, input: 'hello' } }) },
      { field: 'x-arbiter-route', must: 'any', carrier: 'header', build: (name, model) => ({ method: 'POST', path: '/v1/embeddings', body: { model, input: 'hello' }, headers: { 'x-arbiter-route': name } }) },
      { field: 'header name', must: 'any', carrier: 'header', build: (name, model) => ({ method: 'POST', path: '/v1/embeddings', body: { model, input: 'hello' }, headers: { [name]: name } }) },
    ],
  },
  {
    name: 'GET /v1/models', errorOf: openAiError, fields: [
      // There is no /v1/models/{id}: the id still must not reach a lookup that finds a prototype.
      { field: '/v1/models/{id}', must: 'known', build: (name) => ({ method: 'GET', path: `/v1/models/${percentEncode(name)}` }) },
      { field: 'header name', must: 'any', carrier: 'header', build: (name) => ({ method: 'GET', path: '/v1/models', headers: { [name]: name } }) },
    ],
  },
  {
    name: 'any path', errorOf: openAiError, fields: [
      { field: '/v1/{endpoint}', must: 'known', build: (name, model) => ({ method: 'POST', path: `/v1/${percentEncode(name)}`, body: { model, messages: user } }) },
      { field: '/{name}', must: 'known', build: (name) => ({ method: 'GET', path: `/${percentEncode(name)}` }) },
    ],
  },
];

/**
 * Percent-encodes UTF-8 bytes; a lone surrogate becomes U+FFFD as any client would send it.
 * Cut to 4,000 bytes: past node's 16 KB header limit the parser refuses the request itself
 * (431, a case of its own below).
 */
function percentEncode(name: string): string {
  return [...Buffer.from(name, 'utf8').subarray(0, 4000)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

/** What an HTTP header can carry: a token for names, visible ASCII for values, kept under the header size limit. */
function forHeader(name: string): string {
  const token = name.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]/g, '').slice(0, 4000);
  return token === '' ? '_' : token;
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const hostileName = fc.oneof(
  fc.constantFrom(...PROTO_NAMES),
  fc.constantFrom(...PROTO_NAMES).map((name) => `${name}\u0000`),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.oneof(loneSurrogate, fc.constant('\u0000'), fc.constant('\uffff'), fc.constant('\u202e')), minLength: 1, maxLength: 8 }),
  fc.string({ unit: 'binary', minLength: 10_000, maxLength: 10_000 }),
  fc.constant('x'.repeat(10_000)),
);

const MASTER = 'master-secret-for-hostile-names';
let sim: Awaited<ReturnType<typeof startSimulator>>;
let arbiter: RunningArbiter;
let dir: string;
/**
 * Every case is sent as each caller, each with its usual model: a key bound to a route with a
 * tool list (OpenAI format upstream), a plain key (Gemini), the master key (Anthropic).
 */
const callers: Record<string, string> = {};
const modelOf: Record<string, string> = { bound: 'sim-frontier', plain: 'via-gemini', master: 'via-anthropic' };

before(async () => {
  sim = await startSimulator({ port: 0, latencyScale: 0, seed: 7 });
  dir = mkdtempSync(join(tmpdir(), 'arbiter-hostile-names-'));
  const dbUrl = `sqlite:${join(dir, 'arbiter.db')}`;
  const config = parseConfig({
    server: { port: 0, logLevel: 'silent' },
    storage: { url: dbUrl },
    deployments: [
      { name: 'sim-frontier', provider: 'openai', upstreamModel: 'sim-frontier', baseUrl: `${sim.url}/v1`, apiKey: 'sk-test', catalogModel: 'sim-frontier', simulated: true },
      { name: 'via-anthropic', provider: 'anthropic', upstreamModel: 'sim-frontier', baseUrl: sim.url, apiKey: 'sk-ant-test', catalogModel: 'sim-frontier', simulated: true },
      { name: 'via-gemini', provider: 'gemini', upstreamModel: 'sim-frontier', baseUrl: sim.url, apiKey: 'AIza-test', catalogModel: 'sim-frontier', simulated: true },
    ],
    routes: {
      support: { candidates: ['sim-frontier', 'via-anthropic'], cache: { enabled: true } },
      cheap: { candidates: ['via-gemini'] },
    },
    defaultRoute: 'support',
  }, {});
  const store = await openStore(dbUrl);
  const keys = new KeyService(store);
  callers.bound = (await keys.create({ name: 'bound', route: 'support', allowedTools: ['lookup'], tpm: 10_000_000, budgets: [{ kind: 'usd', limit: 1e12, period: 'day' }] })).key;
  callers.plain = (await keys.create({ name: 'plain', rpm: 1_000_000 })).key;
  callers.master = MASTER;
  await store.close();
  arbiter = await startArbiter({ config, env: { ARBITER_MASTER_KEY: MASTER }, quiet: true });
});

after(async () => {
  await arbiter?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function send(sent: Sent, token: string): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { ...sent.headers, authorization: `Bearer ${token}` };
  if (sent.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${arbiter.url}${sent.path}`, { method: sent.method, headers, body: sent.body === undefined ? undefined : JSON.stringify(sent.body) });
  return { status: response.status, text: await response.text() };
}

async function check(endpoint: Endpoint, field: NameField, rawName: string, caller: string): Promise<void> {
  const name = field.carrier === 'header' ? forHeader(rawName) : rawName;
  const { status, text } = await send(field.build(name, modelOf[caller]!), callers[caller]!);
  const shown = JSON.stringify(name.slice(0, 40)).slice(0, 120);
  const where = `${endpoint.name} ${field.field}=${shown}${name.length > 40 ? `...(${name.length} chars)` : ''} as ${caller}: ${status} ${text.slice(0, 300)}`;
  assert.ok(status < 500, `a 5xx: ${where}`);
  if (field.must === 'known' || (field.must === 'model' && caller !== 'bound')) assert.ok(status >= 400, `a made-up name was served: ${where}`);
  if (status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      assert.fail(`not JSON: ${where}`);
    }
    const problem = endpoint.errorOf(body);
    assert.equal(problem, undefined, `${problem}: ${where}`);
  }
}

describe('a request past the parser\'s limits', () => {
  test('a 10k-character name in the URL (over 16 KB encoded) gets 431 with an OpenAI error body', async () => {
    const { status, text } = await send({ method: 'GET', path: `/v1/models/${'%00'.repeat(10_000)}` }, MASTER);
    assert.equal(status, 431);
    assert.equal(openAiError(JSON.parse(text)), undefined, text);
  });
});

describe('hostile names in every client-controlled name field', () => {
  for (const endpoint of ENDPOINTS) {
    describe(endpoint.name, () => {
      for (const field of endpoint.fields) {
        test(`${field.field}: every Object.prototype name, then generated hostile Unicode`, async () => {
          for (const name of PROTO_NAMES) {
            for (const caller of Object.keys(callers)) await check(endpoint, field, name, caller);
          }
          // A few hundred generated cases over the whole table: a dozen per field.
          await fc.assert(fc.asyncProperty(hostileName, fc.constantFrom(...Object.keys(callers)), (name, caller) => check(endpoint, field, name, caller)), { numRuns: 12, seed: 18, endOnFailure: true });
        });
      }
    });
  }
});
