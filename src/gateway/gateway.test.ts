/**
 * Level 2: the gateway in-process on port 0 with a fake runtime, so HTTP behaviour (errors,
 * limits, SSE framing, client disconnects) is tested apart from any provider.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { parseConfig } from '../config/load.js';
import { rememberWireText } from '../core/wire-text.js';
import { ArbiterError } from '../core/errors.js';
import type { ChatChunk, ChatResponse } from '../core/chat-response.js';
import type { Deployment } from '../core/provider.js';
import { createLogger } from '../telemetry/logger.js';
import type { Runtime } from '../runtime/types.js';
import { createGatewayApp } from './app.js';
import { openChatControls, type ChatControls, type ChatOutcome } from './chat-controls.js';
import { listen, type ListeningServer } from './server.js';

const deployment: Deployment = { name: 'fake', model: 'fake', provider: 'openai', upstreamModel: 'fake', baseUrl: 'http://x', timeouts: { connectMs: 1, firstByteMs: 1, totalMs: 1 } };
const response: ChatResponse = {
  id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'fake',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello there' }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
};
let upstreamAborted = false;

/** A chunk whose upstream encoding (key order, spacing) differs from JSON.stringify's. */
const WIRE_TEXT = '{"object":"chat.completion.chunk","id":"w","created":1,"model":"fake",  "choices":[{"index":0,"delta":{"content":"wire"},"finish_reason":null}]}';
async function* wireChunks(): AsyncIterable<ChatChunk> {
  const chunk = JSON.parse(WIRE_TEXT) as ChatChunk;
  rememberWireText(chunk, WIRE_TEXT);
  yield chunk;
  yield { id: 'w', object: 'chat.completion.chunk', created: 1, model: 'fake', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
}

/** A response as an upstream may encode it: its own spacing, a member Arbiter does not know, on several lines. */
const WIRE_RESPONSE = '{"id":"chatcmpl-w", "object":"chat.completion","created":1,"model":"fake","provider_extra":{"usage":{"x":1}},\n "choices":[{"index":0,"message":{"role":"assistant","content":"wire \\"usage\\":{}"},"finish_reason":"stop","logprobs":null}],\n "usage": { "prompt_tokens": 4, "completion_tokens": 1, "total_tokens": 5 } }';
/** A fresh parse per call, as an adapter returns; `cost_usd` set when the upstream sent one itself. */
function wireResponse(model: string): ChatResponse {
  const text = model === 'wire-cost' ? WIRE_RESPONSE.replace('"total_tokens": 5', '"total_tokens": 5, "cost_usd": 9')
    : model === 'wire-broken-usage' ? WIRE_RESPONSE.replace(/"usage": \{[^}]*\}/, '"usage": "n/a"')
    : WIRE_RESPONSE;
  const parsed = JSON.parse(text) as ChatResponse;
  rememberWireText(parsed, text);
  return parsed;
}

/** Usage on the last content chunk, as some OpenAI-compatible servers send it. */
async function* usageOnLastChunk(): AsyncIterable<ChatChunk> {
  const base = { id: 'u', object: 'chat.completion.chunk' as const, created: 1, model: 'fake' };
  yield { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'hel' }, finish_reason: null }] };
  yield { ...base, choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } };
}

async function* chunks(failAfterFirst: boolean, hang: boolean): AsyncIterable<ChatChunk> {
  const base = { id: 'c', object: 'chat.completion.chunk' as const, created: 1, model: 'fake' };
  yield { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'hel' }, finish_reason: null }] };
  if (failAfterFirst) throw new ArbiterError('upstream_error', 'stream cut');
  if (hang) {
    await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
  }
  yield { ...base, choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }] };
  yield { ...base, choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } };
}

const FAKE_MODELS = new Set(['fake', 'cut', 'hang', 'busy', 'wire', 'wire-cost', 'wire-broken-usage', 'usage-last']);

const fakeRuntime = {
  deployments: [deployment],
  simulated: false,
  listModels: () => [{ id: 'fake', ownedBy: 'openai', simulated: false, kind: 'model' as const }],
  resolve(request) {
    if (!FAKE_MODELS.has(request.model)) throw new ArbiterError('model_not_found', `The model '${request.model}' does not exist.`, { param: 'model' });
    return { requested: request.model, chain: [deployment], reason: 'test' };
  },
  async executeChat(_target, request) {
    if (request.model === 'busy') throw new ArbiterError('rate_limit_exceeded', 'upstream busy', { retryAfterMs: 3000 });
    if (request.model.startsWith('wire')) return { response: wireResponse(request.model), costNano: 1500, latencyMs: 1, deployment, attempts: [], retries: 0, fallbacks: 0 };
    return { response, costNano: 1500, latencyMs: 1, deployment, attempts: [], retries: 0, fallbacks: 0 };
  },
  async executeStream(_target, request, options) {
    options.signal?.addEventListener('abort', () => { upstreamAborted = true; });
    if (request.model === 'usage-last') return { chunks: usageOnLastChunk(), deployment, attempts: [], retries: 0, fallbacks: 0 };
    return { chunks: request.model === 'wire' ? wireChunks() : chunks(request.model === 'cut', request.model === 'hang'), deployment, attempts: [], retries: 0, fallbacks: 0 };
  },
  resolveEmbedding() { throw new ArbiterError('invalid_request', 'no embeddings', { param: 'model' }); },
  estimateEmbeddingTokens: () => 0,
  async embed() { throw new ArbiterError('invalid_request', 'no embeddings'); },
  costOf: () => 1000,
  estimatePromptTokens: () => 5,
  chatClient: { chat: async () => { throw new Error('unused'); } },
  isSimulated: () => false,
  setQuality: () => undefined,
  explainRoute: () => '',
  providerOf: () => 'openai',
  close: async () => undefined,
} satisfies Runtime;

let server: ListeningServer;
before(async () => {
  const config = parseConfig({ server: { bodyLimitBytes: 1024 } }, {});
  server = await listen(createGatewayApp({ config, runtime: fakeRuntime, logger: createLogger('silent') }), '127.0.0.1', 0);
});
after(() => server.close());

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function expectError(res: Response, status: number, param?: string) {
  assert.equal(res.status, status);
  const body = await res.json() as { error: { message: string; type: string; param: string | null; code: string } };
  assert.equal(typeof body.error.message, 'string');
  assert.equal(typeof body.error.type, 'string');
  if (param !== undefined) assert.equal(body.error.param, param);
  return body;
}

describe('bad input gets a clear OpenAI error, never a crash', () => {
  test('malformed JSON is 400', async () => { await expectError(await post('/v1/chat/completions', '{"model":'), 400); });
  test('a non-object body is 400', async () => { await expectError(await post('/v1/chat/completions', '[1,2]'), 400); });
  test('an empty body is 400', async () => { await expectError(await post('/v1/chat/completions', ''), 400); });
  test('a wrong type names the field', async () => { await expectError(await post('/v1/chat/completions', JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: 5 }] })), 400, 'messages[0].content'); });
  test('an unknown role names the field', async () => { await expectError(await post('/v1/chat/completions', JSON.stringify({ model: 'fake', messages: [{ role: 'wizard', content: 'x' }] })), 400, 'messages[0].role'); });
  test('missing messages names the field', async () => { await expectError(await post('/v1/chat/completions', JSON.stringify({ model: 'fake' })), 400, 'messages'); });
  test('out-of-range temperature names the field', async () => { await expectError(await post('/v1/chat/completions', JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: 'x' }], temperature: 3 })), 400, 'temperature'); });
  test('an oversized body is 413', async () => { await expectError(await post('/v1/chat/completions', JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: 'x'.repeat(5000) }] })), 413); });
  test('an oversized chunked body (no content-length) is 413 and the server stays up', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // Four chunks of 512 bytes against a 1,024-byte limit.
      for (let i = 0; i < 4; i++) req.write('x'.repeat(512));
      req.end();
    });
    assert.equal(status, 413);
    await expectError(await post('/v1/chat/completions', '{"model":'), 400);
  });
  test('an unknown model is 404', async () => { await expectError(await post('/v1/chat/completions', JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })), 404, 'model'); });
  test('HEAD is answered like GET, without a body', async () => {
    const res = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
  });
  test('an unknown endpoint is 404 and a wrong method 405, each with its request id (a sane one sent is kept)', async () => {
    const unknown = await fetch(`${server.url}/v1/nothing`);
    assert.match(unknown.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
    await expectError(unknown, 404);
    const wrongMethod = await fetch(`${server.url}/v1/chat/completions`, { headers: { 'x-request-id': 'trace-42' } });
    assert.equal(wrongMethod.headers.get('x-request-id'), 'trace-42');
    await expectError(wrongMethod, 405);
    const unsafe = await fetch(`${server.url}/v1/nothing`, { headers: { 'x-request-id': 'bad id\twith tab' } });
    assert.match(unsafe.headers.get('x-request-id') ?? '', /^req_/);
  });
  test('an upstream 429 keeps its status and Retry-After', async () => {
    const res = await post('/v1/chat/completions', JSON.stringify({ model: 'busy', messages: [{ role: 'user', content: 'x' }] }));
    await expectError(res, 429);
    assert.equal(res.headers.get('retry-after'), '3');
  });
  test('the server still answers after all of that', async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
  });
});

describe('responses', () => {
  test('JSON answer carries cost in usage and headers, and a request id', async () => {
    const res = await post('/v1/chat/completions', JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(res.status, 200);
    const body = await res.json() as ChatResponse;
    assert.equal(body.choices[0]?.message.content, 'hello there');
    assert.equal(body.usage?.cost_usd, 1.5e-6);
    assert.equal(res.headers.get('x-arbiter-cost-usd'), '0.000001500');
    assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
  });

  test('a JSON response nothing changed leaves as the upstream encoded it, with only its cost added to usage', async () => {
    const res = await post('/v1/chat/completions', JSON.stringify({ model: 'wire', messages: [{ role: 'user', content: 'hi' }] }));
    const text = await res.text();
    assert.equal(text, WIRE_RESPONSE.replace('"total_tokens": 5 }', '"total_tokens": 5 ,"cost_usd":0.0000015}'));
    assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(text)));
    assert.deepEqual((JSON.parse(text) as ChatResponse).usage, { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5, cost_usd: 1.5e-6 });
    // An upstream that sent a cost of its own (another gateway in front of it) gets ours in its place, once.
    const priced = await (await post('/v1/chat/completions', JSON.stringify({ model: 'wire-cost', messages: [{ role: 'user', content: 'hi' }] }))).text();
    assert.equal(priced.split('cost_usd').length, 2, priced);
    assert.equal((JSON.parse(priced) as ChatResponse).usage?.cost_usd, 1.5e-6);
    // A usage that is not an object leaves as it came, never as a 500.
    const broken = await post('/v1/chat/completions', JSON.stringify({ model: 'wire-broken-usage', messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(broken.status, 200);
    assert.equal((await broken.json() as { usage: unknown }).usage, 'n/a');
  });

  test('SSE drops the usage chunk unless include_usage was asked for', async () => {
    const plainResponse = await post('/v1/chat/completions', JSON.stringify({ model: 'fake', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    // A stream's cost is known only once its headers are gone: it is in the usage chunk, never in a header.
    assert.equal(plainResponse.headers.get('x-arbiter-cost-usd'), null);
    assert.equal(plainResponse.headers.get('x-arbiter-deployment'), 'fake');
    const plain = await plainResponse.text();
    assert.ok(plain.endsWith('data: [DONE]\n\n'));
    assert.ok(!plain.includes('"usage":{'));
    const withUsage = await (await post('/v1/chat/completions', JSON.stringify({ model: 'fake', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] }))).text();
    assert.match(withUsage, /"cost_usd":0\.000001/);
  });

  test('a chunk passed through unchanged leaves byte for byte as the upstream encoded it', async () => {
    const text = await (await post('/v1/chat/completions', JSON.stringify({ model: 'wire', stream: true, messages: [{ role: 'user', content: 'hi' }] }))).text();
    assert.ok(text.includes(`data: ${WIRE_TEXT}\n\n`), text);
    assert.ok(text.endsWith('data: [DONE]\n\n'));
  });
  test('usage on the last content chunk: the content goes out either way, the usage only if asked for, and the response kept is whole', async () => {
    const outcomes: ChatOutcome[] = [];
    const recording: ChatControls = {
      ...openChatControls,
      async admit(ctx, request, target) {
        return { ...(await openChatControls.admit(ctx, request, target)), finish: (outcome) => { outcomes.push(outcome); } };
      },
    };
    const config = parseConfig({}, {});
    const recorded = await listen(createGatewayApp({ config, runtime: fakeRuntime, logger: createLogger('silent'), controls: recording }), '127.0.0.1', 0);
    try {
      const ask = async (includeUsage: boolean) => {
        const res = await fetch(`${recorded.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'usage-last', stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}), messages: [{ role: 'user', content: 'hi' }] }) });
        const events = (await res.text()).split('\n\n').filter((event) => event.startsWith('data: {')).map((event) => JSON.parse(event.slice(6)) as ChatChunk);
        return events[events.length - 1]!;
      };
      const withUsage = await ask(true);
      assert.equal(withUsage.choices[0]?.delta.content, 'lo');
      assert.equal(withUsage.usage?.cost_usd, 1e-6);
      const without = await ask(false);
      assert.equal(without.choices[0]?.delta.content, 'lo');
      assert.equal(without.usage, undefined);
      for (const outcome of outcomes) {
        assert.equal(outcome.response?.choices[0]?.message.content, 'hello');
        assert.equal(outcome.response?.choices[0]?.finish_reason, 'stop');
        assert.equal(outcome.response?.usage?.completion_tokens, 2);
      }
      assert.equal(outcomes.length, 2);
    } finally {
      await recorded.close();
    }
  });

  test('a stream that fails after its first byte ends with an in-band error event', async () => {
    const text = await (await post('/v1/chat/completions', JSON.stringify({ model: 'cut', stream: true, messages: [{ role: 'user', content: 'hi' }] }))).text();
    assert.match(text, /"content":"hel"/);
    assert.match(text, /data: \{"error":\{"message":"stream cut"/);
    assert.ok(!text.includes('[DONE]'));
  });

  test('a client that disconnects aborts the upstream call', async () => {
    upstreamAborted = false;
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.once('data', () => { req.destroy(); setTimeout(resolve, 100); });
      });
      req.end(JSON.stringify({ model: 'hang', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    });
    assert.equal(upstreamAborted, true);
  });
});
