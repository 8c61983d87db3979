/**
 * Hostile and malformed requests to the gateway: every one gets an OpenAI error object with
 * the right status and, where a field is at fault, that field in `param`; none gets a 500,
 * and the server keeps answering afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../src/sim/server.js';
import { parseConfig } from '../src/config/load.js';
import { startArbiter, type RunningArbiter } from '../src/gateway/start.js';

let sim: Awaited<ReturnType<typeof startSimulator>>;
let arbiter: RunningArbiter;
const LIMIT = 64 * 1024;

before(async () => {
  sim = await startSimulator({ port: 0, latencyScale: 0, seed: 5 });
  const config = parseConfig({
    server: { port: 0, logLevel: 'silent', bodyLimitBytes: LIMIT },
    storage: { url: 'sqlite::memory:' },
    deployments: [
      { name: 'via-openai', provider: 'openai', upstreamModel: 'sim-frontier', baseUrl: `${sim.url}/v1`, apiKey: 'sk-test', catalogModel: 'sim-frontier', simulated: true },
      { name: 'via-anthropic', provider: 'anthropic', upstreamModel: 'sim-frontier', baseUrl: sim.url, apiKey: 'sk-ant-test', catalogModel: 'sim-frontier', simulated: true },
      { name: 'via-gemini', provider: 'gemini', upstreamModel: 'sim-frontier', baseUrl: sim.url, apiKey: 'AIza-test', catalogModel: 'sim-frontier', simulated: true },
    ],
  }, {});
  arbiter = await startArbiter({ config, env: {}, quiet: true });
});

after(async () => {
  await arbiter?.close();
  await sim?.close();
});

interface ErrorBody { error: { message: string; type: string; param: string | null; code: string | null } }

async function post(body: string | object): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${arbiter.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as unknown };
}

function assertError(result: { status: number; json: unknown }, status: number, param: string | null): ErrorBody['error'] {
  const error = (result.json as ErrorBody).error;
  assert.ok(error, `an OpenAI error object, got ${JSON.stringify(result.json).slice(0, 200)}`);
  assert.equal(result.status, status, error.message);
  assert.equal(typeof error.message, 'string');
  assert.equal(typeof error.type, 'string');
  assert.equal(error.param, param, error.message);
  return error;
}

const user = [{ role: 'user', content: 'hi' }];
const tool = { type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } };

describe('hostile input gets OpenAI errors naming the field', () => {
  const cases: Array<[string, string | object, number, string | null]> = [
    ['invalid JSON', '{"model":', 400, null],
    ['a JSON array', '[]', 400, null],
    ['JSON null', 'null', 400, null],
    ['an empty body', '', 400, null],
    ['no model', { messages: user }, 400, 'model'],
    ['a numeric model', { model: 5, messages: user }, 400, 'model'],
    ['empty messages', { model: 'via-openai', messages: [] }, 400, 'messages'],
    ['messages as a string', { model: 'via-openai', messages: 'hi' }, 400, 'messages'],
    ['a null message', { model: 'via-openai', messages: [null] }, 400, 'messages[0]'],
    ['a message without role', { model: 'via-openai', messages: [{ content: 'x' }] }, 400, 'messages[0].role'],
    ['content as an object', { model: 'via-openai', messages: [{ role: 'user', content: { a: 1 } }] }, 400, 'messages[0].content'],
    ['a tool message without tool_call_id', { model: 'via-openai', messages: [{ role: 'tool', content: 'x' }] }, 400, 'messages[0].tool_call_id'],
    ['stream as a string', { model: 'via-openai', messages: user, stream: 'yes' }, 400, 'stream'],
    ['temperature as a string', { model: 'via-openai', messages: user, temperature: '0.5' }, 400, 'temperature'],
    ['a negative max_tokens', { model: 'via-openai', messages: user, max_tokens: -1 }, 400, 'max_tokens'],
    ['a fractional max_tokens', { model: 'via-openai', messages: user, max_tokens: 1.5 }, 400, 'max_tokens'],
    ['n = 0', { model: 'via-openai', messages: user, n: 0 }, 400, 'n'],
    ['n = 1000', { model: 'via-openai', messages: user, n: 1000 }, 400, 'n'],
    ['n > 1 to an Anthropic deployment', { model: 'via-anthropic', messages: user, n: 3 }, 400, 'n'],
    ['n > 1 streamed to an Anthropic deployment', { model: 'via-anthropic', messages: user, n: 2, stream: true }, 400, 'n'],
    ['five stop sequences', { model: 'via-openai', messages: user, stop: ['a', 'b', 'c', 'd', 'e'] }, 400, 'stop'],
    ['stream_options without stream', { model: 'via-openai', messages: user, stream_options: { include_usage: true } }, 400, 'stream_options'],
    ['tool parameters as a string', { model: 'via-openai', messages: user, tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] }, 400, 'tools[0].function.parameters'],
    ['tool parameters as an array', { model: 'via-gemini', messages: user, tools: [{ type: 'function', function: { name: 'f', parameters: [1] } }] }, 400, 'tools[0].function.parameters'],
    ['a tool name with spaces', { model: 'via-anthropic', messages: user, tools: [{ type: 'function', function: { name: 'bad name!' } }] }, 400, 'tools[0].function.name'],
    ['a tool without function', { model: 'via-openai', messages: user, tools: [{ type: 'function' }] }, 400, 'tools[0].function'],
    ['a non-function tool', { model: 'via-openai', messages: user, tools: [{ type: 'retrieval' }] }, 400, 'tools[0].type'],
    ['duplicate tool names', { model: 'via-anthropic', messages: user, tools: [tool, tool] }, 400, 'tools[1].function.name'],
    ['tool_choice required without tools', { model: 'via-openai', messages: user, tool_choice: 'required' }, 400, 'tool_choice'],
    ['tool_choice naming an absent tool', { model: 'via-anthropic', messages: user, tools: [tool], tool_choice: { type: 'function', function: { name: 'g' } } }, 400, 'tool_choice.function.name'],
    ['json_schema without name', { model: 'via-openai', messages: user, response_format: { type: 'json_schema', json_schema: { schema: {} } } }, 400, 'response_format.json_schema.name'],
    ['json_schema schema as a string', { model: 'via-gemini', messages: user, response_format: { type: 'json_schema', json_schema: { name: 'a', schema: 'x' } } }, 400, 'response_format.json_schema.schema'],
    ['an unknown response_format', { model: 'via-openai', messages: user, response_format: { type: 'yaml' } }, 400, 'response_format.type'],
    ['an empty image URL', { model: 'via-anthropic', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: '' } }] }] }, 400, 'messages[0].content[0].image_url.url'],
    ['only a system message to Anthropic', { model: 'via-anthropic', messages: [{ role: 'system', content: 'x' }] }, 400, 'messages'],
    ['only empty content to Gemini', { model: 'via-gemini', messages: [{ role: 'user', content: [] }] }, 400, 'messages'],
    ['an unknown model', { model: 'no-such-model', messages: user }, 404, 'model'],
  ];
  for (const [label, body, status, param] of cases) {
    test(`${label} → ${status}${param ? ` naming ${param}` : ''}`, async () => {
      const error = assertError(await post(body), status, param);
      if (status === 400) assert.equal(error.type, 'invalid_request_error');
    });
  }

  test('an unknown field nested thousands deep is a 400 naming it, not a stack overflow', async () => {
    const raw = `{"model":"via-openai","messages":[{"role":"user","content":"hi"}],"extra":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const error = assertError(await post(raw), 400, `extra${'[0]'.repeat(63)}`);
    assert.match(error.message, /nested more than 64 levels/);
  });

  test('a body over the limit is a 413', async () => {
    const error = assertError(await post({ model: 'via-openai', messages: [{ role: 'user', content: 'x'.repeat(LIMIT) }] }), 413, null);
    assert.equal(error.code, 'payload_too_large');
  });
});

describe('hostile input to /v1/embeddings', () => {
  async function embed(body: string | object): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${arbiter.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, json: JSON.parse(await response.text()) as unknown };
  }

  test('missing, empty or mistyped input is a 400 that says what input may be', async () => {
    for (const body of [{ model: 'via-openai' }, { model: 'via-openai', input: [] }, { model: 'via-openai', input: 5 }]) {
      const error = assertError(await embed(body), 400, 'input');
      assert.match(error.message, /must be a string, a non-empty array of strings, or token ids/);
    }
    // An array of the wrong things is named down to the first bad item.
    assert.match(assertError(await embed({ model: 'via-openai', input: [{ text: 'x' }] }), 400, 'input[0]').message, /expected string/);
  });

  test('bad dimensions, an unknown model, a non-object and bad JSON get their own errors', async () => {
    assertError(await embed({ model: 'via-openai', input: 'x', dimensions: -1 }), 400, 'dimensions');
    assertError(await embed({ model: 'nope', input: 'x' }), 404, 'model');
    assertError(await embed([1, 2]), 400, null);
    assertError(await embed('{"model":'), 400, null);
  });
});

describe('tolerated input', () => {
  test('unknown top-level fields and a __proto__ key pass without polluting anything', async () => {
    const result = await post('{"model":"via-openai","messages":[{"role":"user","content":"hi"}],"frobnicate":{"deep":true},"__proto__":{"polluted":1}}');
    assert.equal(result.status, 200);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('tool_choice auto without tools is accepted, as OpenAI clients sometimes send it', async () => {
    assert.equal((await post({ model: 'via-anthropic', messages: user, tool_choice: 'auto' })).status, 200);
  });

  test('tool-call arguments that are not JSON still reach Anthropic and Gemini', async () => {
    for (const model of ['via-anthropic', 'via-gemini']) {
      const result = await post({ model, messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{not json' } }] }, { role: 'tool', tool_call_id: 'a', content: 'r' }] });
      assert.equal(result.status, 200, model);
    }
  });

  test('the gateway still answers after all of the above', async () => {
    const result = await post({ model: 'via-gemini', messages: user });
    assert.equal(result.status, 200);
    assert.equal((result.json as { object: string }).object, 'chat.completion');
  });
});
