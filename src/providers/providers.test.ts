import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseChatRequest } from '../core/chat-request.js';
import { ChunkAssembler } from '../core/chunk-assembler.js';
import { ArbiterError } from '../core/errors.js';
import type { Deployment } from '../core/provider.js';
import { toAnthropicRequest, JSON_TOOL } from './anthropic/request.js';
import { fromAnthropicResponse } from './anthropic/response.js';
import { mapAnthropicStream } from './anthropic/stream.js';
import { toGeminiRequest } from './gemini/request.js';
import { fromGeminiResponse } from './gemini/response.js';
import { mapGeminiStream } from './gemini/stream.js';
import { parseSse } from './sse.js';
import { adapterFor, resolveDeployment } from './registry.js';
import type { StreamItem } from '../core/stream-item.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
async function* lines<T>(items: T[]): AsyncIterable<T> { for (const item of items) yield item; }
async function collect(chunks: AsyncIterable<StreamItem>) {
  const assembler = new ChunkAssembler();
  for await (const chunk of chunks) assembler.add(chunk);
  return assembler.toResponse();
}

describe('anthropic mappers on reference payloads', () => {
  test('tool_use response → tool_calls, cached tokens inside prompt_tokens', () => {
    const response = fromAnthropicResponse(JSON.parse(fixture('anthropic-tool-use.json')), false);
    const choice = response.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, "I'll check the weather.");
    assert.deepEqual(JSON.parse(choice.message.tool_calls![0]!.function.arguments), { location: 'San Francisco, CA', unit: 'celsius' });
    assert.equal(response.usage?.prompt_tokens, 572);
    assert.equal(response.usage?.prompt_tokens_details?.cached_tokens, 100);
    assert.equal(response.usage?.completion_tokens, 91);
  });

  test('stream events → text, one tool call with streamed arguments, usage', async () => {
    const events = fixture('anthropic-tool-use.chunks.txt').trim().split('\n').map((line) => { const [event, data] = line.split('\t'); return { event, data: data! }; });
    const response = await collect(mapAnthropicStream(lines(events), false));
    assert.equal(response.choices[0]?.message.content, "Okay, let's check the weather.");
    assert.equal(response.choices[0]?.message.tool_calls?.[0]?.function.arguments, '{"location": "San Francisco, CA"}');
    assert.equal(response.choices[0]?.message.tool_calls?.[0]?.id, 'toolu_01T1x1fJ34qAmk2tNTrN7Up6');
    assert.equal(response.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(response.usage?.completion_tokens, 89);
  });

  test('a stream without message_stop is an error, not a silent end', async () => {
    const events = fixture('anthropic-tool-use.chunks.txt').trim().split('\n').slice(0, 5).map((line) => ({ data: line.split('\t')[1]! }));
    await assert.rejects(collect(mapAnthropicStream(lines(events), false)), /without message_stop/);
  });

  test('request: system lifted, tool results in a user turn, json_schema forced through a tool', () => {
    const body = toAnthropicRequest(parseChatRequest({
      model: 'm',
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 't1', content: '{"temp":3}' },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { temp: { type: 'number' } } } } },
      max_tokens: 50,
    }), 'claude', false);
    assert.equal(body.system, 'Be terse.');
    const messages = body.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.equal(messages[1]!.content[0]!.type, 'tool_use');
    assert.deepEqual(messages[1]!.content[0]!.input, { city: 'Oslo' });
    assert.equal(messages[2]!.content[0]!.type, 'tool_result');
    assert.deepEqual(body.tool_choice, { type: 'tool', name: JSON_TOOL });
    assert.equal(body.max_tokens, 50);
  });
});

describe('gemini mappers on reference payloads', () => {
  test('functionCall → tool_calls; thoughts join completion and reasoning tokens', () => {
    const response = fromGeminiResponse(JSON.parse(fixture('gemini-function-call.json')), 'gemini-2.5-flash');
    const choice = response.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.tool_calls?.[0]?.function.name, 'get_weather');
    assert.equal(response.usage?.completion_tokens, 20);
    assert.equal(response.usage?.completion_tokens_details?.reasoning_tokens, 12);
    assert.equal(response.usage?.prompt_tokens_details?.cached_tokens, 5);
  });

  test('stream → text and final usage', async () => {
    const events = fixture('gemini-text.chunks.txt').trim().split('\n').map((data) => ({ data }));
    const response = await collect(mapGeminiStream(lines(events), 'gemini-2.5-flash'));
    assert.equal(response.choices[0]?.message.content, 'The sky is blue.');
    assert.equal(response.usage?.completion_tokens, 5);
  });

  test('request: function responses recover their name; schema keys Gemini rejects are dropped', () => {
    const body = toGeminiRequest(parseChatRequest({
      model: 'g',
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c9', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c9', content: '{"temp":3}' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', additionalProperties: false, properties: { city: { type: ['string', 'null'] } } } } }],
      tool_choice: 'required',
    }));
    const contents = body.contents as Array<{ role: string; parts: Array<Record<string, { name?: string }>> }>;
    assert.equal(contents[2]!.parts[0]!.functionResponse!.name, 'get_weather');
    const declaration = (body.tools as Array<{ functionDeclarations: Array<{ parameters: Record<string, unknown> }> }>)[0]!.functionDeclarations[0]!;
    assert.equal('additionalProperties' in declaration.parameters, false);
    assert.deepEqual((declaration.parameters.properties as Record<string, unknown>).city, { type: 'string', nullable: true });
    assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY' } });
  });
});

describe('sse parser', () => {
  test('events split at any byte, CRLF, comments and multi-line data', async () => {
    const text = ': keepalive\r\nevent: a\r\ndata: {"x":\r\ndata: 1}\r\n\r\ndata: two\n\ndata:tight\rdata:  wide\r\rdata\n\n';
    for (const pieces of [text.split('').map((char) => Buffer.from(char)), [Buffer.from(text)]]) {
      const events = [];
      for await (const event of parseSse(lines(pieces))) events.push(event);
      // One space after the colon is the separator; a second belongs to the value.
      assert.deepEqual(events, [{ event: 'a', data: '{"x":\n1}' }, { data: 'two' }, { data: 'tight\n wide' }, { data: '' }]);
    }
  });

  test('a line sent in many chunks arrives whole, and one past the line limit fails the stream', async () => {
    const pieces = ['data: ', ...Array.from({ length: 500 }, (_, index) => String(index % 10).repeat(1000)), '\n\n', 'data: after\n\n'];
    const events = [];
    for await (const event of parseSse(lines(pieces))) events.push(event.data);
    assert.deepEqual(events, [pieces.slice(1, 501).join(''), 'after']);
    await assert.rejects((async () => {
      for await (const _event of parseSse(lines(['data: ', ...Array.from({ length: 20 }, () => 'y'.repeat(100))]), { maxLineBytes: 1000 })) { /* drain */ }
    })(), (error: unknown) => error instanceof ArbiterError && /longer than 1000 bytes/.test(error.message));
  });

  test('a leading byte order mark is dropped, and a UTF-8 character split across chunks arrives whole', async () => {
    const bytes = Buffer.from('\uFEFFdata: caf\u00e9 \u{1F600}\n\ndata: x\n\n');
    // Split inside the BOM, inside the two-byte é and inside the four-byte emoji.
    const cuts = [1, 13, 17, bytes.length];
    const pieces = cuts.map((end, index) => bytes.subarray(index === 0 ? 0 : cuts[index - 1], end));
    const events = [];
    for await (const event of parseSse(lines(pieces))) events.push(event.data);
    assert.deepEqual(events, ['caf\u00e9 \u{1F600}', 'x']);
  });
});

describe('http path against a local server', () => {
  let server: Server;
  let base = '';
  let next: { status: number; headers?: Record<string, string>; body: string; cut?: boolean } = { status: 200, body: '{}' };
  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        // Let the head and first bytes reach the client before the socket dies, as a real cut does.
        if (next.cut) { res.write(next.body, () => setTimeout(() => res.destroy(), 20)); return; }
        res.end(next.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const deployment = (): Deployment => resolveDeployment({ name: 'local', provider: 'openai', upstreamModel: 'm', baseUrl: `${base}/v1`, apiKey: 'sk-secret-key-123456' }, { env: {}, defaultTimeouts: { connectMs: 1000, firstByteMs: 2000, totalMs: 5000 } });
  const request = parseChatRequest({ model: 'x', messages: [{ role: 'user', content: 'hi' }] });

  for (const [status, code, retryable] of [[400, 'invalid_request', false], [401, 'invalid_api_key', false], [404, 'not_found', false], [429, 'rate_limit_exceeded', true], [500, 'upstream_error', true], [503, 'upstream_unavailable', true], [529, 'upstream_unavailable', true]] as const) {
    test(`status ${status} → ${code} (retryable ${retryable}) keeping the upstream message`, async () => {
      next = { status, headers: { 'retry-after': '2' }, body: JSON.stringify({ error: { message: `boom ${status}`, type: 'x', param: 'messages' } }) };
      await assert.rejects(adapterFor('openai').chat(deployment(), request, {}), (error: unknown) => {
        const arbiter = error as ArbiterError;
        assert.equal(arbiter.code, code);
        assert.equal(arbiter.retryable, retryable);
        assert.equal(arbiter.status, status === 529 ? 503 : status);
        assert.equal(arbiter.retryAfterMs, 2000);
        assert.match(arbiter.message, new RegExp(`boom ${status}`));
        assert.ok(!JSON.stringify(arbiter.upstream).includes('sk-secret-key-123456'));
        return true;
      });
    });
  }

  test('a malformed JSON body is a retryable upstream error', async () => {
    next = { status: 200, body: '{"choices": [' };
    await assert.rejects(adapterFor('openai').chat(deployment(), request, {}), (error: unknown) => (error as ArbiterError).code === 'upstream_error' && (error as ArbiterError).retryable);
  });

  test('a stream cut mid-way surfaces an error', async () => {
    next = { status: 200, headers: { 'content-type': 'text/event-stream' }, body: 'data: {"id":"1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"he"},"finish_reason":null}]}\n\n', cut: true };
    const stream = await adapterFor('openai').chatStream(deployment(), request, {});
    await assert.rejects(collect(stream), (error: unknown) => error instanceof ArbiterError);
  });

  test('connection refused is upstream_unavailable and retryable', async () => {
    const dead = resolveDeployment({ name: 'dead', provider: 'openai', upstreamModel: 'm', baseUrl: 'http://127.0.0.1:1/v1' }, { env: {}, defaultTimeouts: { connectMs: 500, firstByteMs: 500, totalMs: 1000 } });
    await assert.rejects(adapterFor('openai').chat(dead, request, {}), (error: unknown) => (error as ArbiterError).code === 'upstream_unavailable' && (error as ArbiterError).retryable);
  });

  const other = (provider: 'anthropic' | 'gemini'): Deployment => resolveDeployment({ name: provider, provider, upstreamModel: 'm', baseUrl: base, apiKey: 'sk-secret-key-123456' }, { env: {}, defaultTimeouts: { connectMs: 1000, firstByteMs: 2000, totalMs: 5000 } });

  test('anthropic 529 overloaded_error is a retryable 503 with its message', async () => {
    next = { status: 529, body: fixture('anthropic-error-overloaded.json') };
    await assert.rejects(adapterFor('anthropic').chat(other('anthropic'), request, {}), (error: unknown) => {
      const arbiter = error as ArbiterError;
      return arbiter.status === 503 && arbiter.code === 'upstream_unavailable' && arbiter.retryable && arbiter.message === 'Overloaded' && arbiter.upstream?.status === 529;
    });
  });

  test('anthropic 429 for a spent limit is not retried', async () => {
    next = { status: 429, headers: { 'retry-after': '30' }, body: fixture('anthropic-error-spend-limit.json') };
    await assert.rejects(adapterFor('anthropic').chat(other('anthropic'), request, {}), (error: unknown) => (error as ArbiterError).status === 429 && !(error as ArbiterError).retryable);
  });

  test('gemini 429 without Retry-After takes the delay from RetryInfo', async () => {
    next = { status: 429, body: fixture('gemini-error-429.json') };
    await assert.rejects(adapterFor('gemini').chat(other('gemini'), request, {}), (error: unknown) => {
      const arbiter = error as ArbiterError;
      return arbiter.code === 'rate_limit_exceeded' && arbiter.retryAfterMs === 27_000 && arbiter.retryable;
    });
  });

  test('gemini API_KEY_INVALID (HTTP 400) is a 401 invalid_api_key', async () => {
    next = { status: 400, body: fixture('gemini-error-api-key.json') };
    await assert.rejects(adapterFor('gemini').chat(other('gemini'), request, {}), (error: unknown) => (error as ArbiterError).status === 401 && (error as ArbiterError).code === 'invalid_api_key' && !(error as ArbiterError).retryable);
  });

  test('presets fill base URL and key variable; unknown presets are refused', () => {
    const deepseek = resolveDeployment({ name: 'd', provider: 'openai-compatible', preset: 'deepseek', upstreamModel: 'deepseek-chat' }, { env: { DEEPSEEK_API_KEY: 'k' }, defaultTimeouts: { connectMs: 1, firstByteMs: 1, totalMs: 1 } });
    assert.equal(deepseek.baseUrl, 'https://api.deepseek.com/v1');
    assert.equal(deepseek.apiKey, 'k');
    assert.throws(() => resolveDeployment({ name: 'x', provider: 'openai-compatible', preset: 'nope', upstreamModel: 'm' }, { env: {}, defaultTimeouts: { connectMs: 1, firstByteMs: 1, totalMs: 1 } }), /unknown preset/);
  });
});

describe('upstream deadlines', () => {
  let stalling: Server;
  let url = '';
  before(async () => {
    // Sends its head and one event, then goes quiet: only the total deadline can end the call.
    stalling = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"id":"1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"he"},"finish_reason":null}]}\n\n');
      });
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}/v1`;
  });
  after(() => {
    stalling.closeAllConnections();
    return new Promise<void>((resolve) => stalling.close(() => resolve()));
  });
  const request = parseChatRequest({ model: 'x', messages: [{ role: 'user', content: 'hi' }], stream: true });
  const stalled = (totalMs: number) => resolveDeployment({ name: 'stall', provider: 'openai', upstreamModel: 'm', baseUrl: url }, { env: {}, defaultTimeouts: { connectMs: 1000, firstByteMs: 10_000, totalMs } });

  test('a stream that stalls past the total timeout fails as upstream_timeout', async () => {
    const stream = await adapterFor('openai').chatStream(stalled(300), request, {});
    await assert.rejects(collect(stream), (error: unknown) => error instanceof ArbiterError && error.code === 'upstream_timeout' && error.retryable);
  });

  test('the caller aborting mid-stream ends the call as client_closed', async () => {
    const controller = new AbortController();
    const stream = await adapterFor('openai').chatStream(stalled(10_000), request, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('client went away')), 100);
    await assert.rejects(collect(stream), (error: unknown) => error instanceof ArbiterError && error.code === 'client_closed');
  });
});

describe('aborts before the answer', () => {
  test('a caller that gives up while the upstream has not answered fails at once as client_closed, and the upstream connection closes', async () => {
    let upstreamClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => { upstreamClosed = resolve; });
    // Reads the request and never answers.
    const silent = createServer((req) => { req.resume(); req.socket.once('close', () => upstreamClosed()); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const deployment = resolveDeployment({ name: 'silent', provider: 'openai', upstreamModel: 'm', baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1` }, { env: {}, defaultTimeouts: { connectMs: 1000, firstByteMs: 30_000, totalMs: 30_000 } });
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(new Error('client went away')), 100);
      await assert.rejects(adapterFor('openai').chat(deployment, parseChatRequest({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }), { signal: controller.signal }),
        (error: unknown) => error instanceof ArbiterError && error.code === 'client_closed');
      assert.ok(Date.now() - started < 5_000);
      await closed;
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('SSE body handling', () => {
  test('a read failure goes through mapReadError; a consumer that stops early releases the body', async () => {
    let returned = false;
    const failing: AsyncIterable<string> = {
      [Symbol.asyncIterator]() {
        let sent = false;
        return {
          next: async () => {
            if (!sent) { sent = true; return { done: false, value: 'data: one\n\n' }; }
            throw new Error('socket reset');
          },
          return: async () => { returned = true; return { done: true, value: undefined }; },
        };
      },
    };
    const events = parseSse(failing, { mapReadError: (error) => new ArbiterError('upstream_unavailable', `mapped: ${(error as Error).message}`) });
    const seen: string[] = [];
    await assert.rejects((async () => { for await (const event of events) seen.push(event.data); })(), (error: unknown) => error instanceof ArbiterError && /mapped: socket reset/.test(error.message));
    assert.deepEqual(seen, ['one']);

    const endless: AsyncIterable<string> = {
      [Symbol.asyncIterator]() {
        return { next: async () => ({ done: false, value: 'data: tick\n\n' }), return: async () => { returned = true; return { done: true, value: undefined }; } };
      },
    };
    returned = false;
    for await (const event of parseSse(endless)) {
      assert.equal(event.data, 'tick');
      break;
    }
    assert.equal(returned, true);
  });
});
