import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChatRequest } from '../../core/chat-request.js';
import { ArbiterError } from '../../core/errors.js';
import type { Deployment } from '../../core/provider.js';
import { assemble, collectChunks, fixtureEvents, fixtureJson, iterate } from '../__fixtures__/read.js';
import { presets } from '../openai-compatible/presets.js';
import { parseOpenAIError } from './errors.js';
import { fromOpenAIResponse, mapOpenAIEventBatches, mapOpenAIStream, toOpenAIRequest } from './index.js';
import { wireTextOf } from '../../core/wire-text.js';
import { RawChunks, chunksOf, type StreamItem } from '../../core/stream-item.js';

/** The one chunk an item holds. */
function only(item: StreamItem | undefined) {
  const chunks = chunksOf(item!);
  assert.equal(chunks.length, 1);
  return chunks[0]!;
}

const deployment = (preset?: string): Deployment => ({
  name: preset ?? 'openai', model: 'm', provider: preset ? 'openai-compatible' : 'openai', ...(preset ? { preset } : {}),
  upstreamModel: 'up', baseUrl: 'http://x/v1', timeouts: { connectMs: 1, firstByteMs: 1, totalMs: 1 },
});
const quirks = (preset?: string) => (preset ? presets[preset]!.quirks : {});

describe('openai responses and streams', () => {
  test('a plain content delta passes on as its own text, parsed only when read; one whose reasoning field was copied is rebuilt', async () => {
    const plain = '{"id":"1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi \\"usage\\": {x}"},"finish_reason":null}],"usage":null}';
    const vendor = '{"id":"1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"reasoning":"think"},"finish_reason":null}]}';
    const items: StreamItem[] = [];
    for await (const item of mapOpenAIStream(iterate([{ data: plain }, { data: vendor }, { data: '[DONE]' }]), deployment(), {})) items.push(item);
    assert.ok(items[0] instanceof RawChunks);
    assert.equal(items[0].framed(), `data: ${plain}\n\n`);
    assert.equal(only(items[0]).choices[0]!.delta.content, 'hi "usage": {x}');
    // The canonical chunk gained reasoning_content: its old text would drop it.
    assert.ok(!(items[1] instanceof RawChunks));
    assert.equal(only(items[1]).choices[0]!.delta.reasoning_content, 'think');
    assert.equal(wireTextOf(only(items[1])), undefined);
  });

  test('chunks with usage, tool calls or an error, or not one JSON object, are parsed on the spot', async () => {
    const base = '"id":"1","object":"chat.completion.chunk","created":1,"model":"m"';
    const usage = `{${base},"choices":[],"usage" :\t{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}`;
    const tools = `{${base},"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":null}]}`;
    const unchanged = `{${base},"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":null}]}`;
    const items: StreamItem[] = [];
    for await (const item of mapOpenAIStream(iterate([{ data: tools }, { data: unchanged }, { data: usage }, { data: '[DONE]' }]), deployment(), {})) items.push(item);
    assert.deepEqual(items.map((item) => item instanceof RawChunks), [false, true, false]);
    assert.equal(only(items[2]).usage?.total_tokens, 5);
    // An unchanged parsed chunk still leaves as the upstream wrote it.
    assert.equal(wireTextOf(only(items[0])), tools);
    const error = `{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"},"choices":[]}`;
    await assert.rejects(collectChunks(mapOpenAIStream(iterate([{ data: error }]), deployment(), {})), (e: unknown) => (e as ArbiterError).status === 429);
    await assert.rejects(collectChunks(mapOpenAIStream(iterate([{ data: `{${base},"choices":[{"delta":{"content":"cut` }]), deployment(), {})), (e: unknown) => (e as ArbiterError).code === 'upstream_error');
  });

  test('plain deltas of one upstream read leave as one item per run, in order around the chunks that are parsed', async () => {
    const base = '"id":"1","object":"chat.completion.chunk","created":1,"model":"m"';
    const delta = (text: string) => `{${base},"choices":[{"index":0,"delta":{"content":"${text}"},"finish_reason":null}]}`;
    const tools = `{${base},"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":null}]}`;
    const reads = [[{ data: delta('a') }, { data: delta('b') }, { data: tools }, { data: delta('c') }], [{ data: delta('d') }, { data: '[DONE]' }, { data: delta('late') }]];
    const items: StreamItem[] = [];
    for await (const item of mapOpenAIEventBatches(iterate(reads), deployment(), {})) items.push(item);
    assert.deepEqual(items.map((item) => item instanceof RawChunks ? item.payloads.length : 'parsed'), [2, 'parsed', 1, 1]);
    assert.equal((items[0] as RawChunks).framed(), `data: ${delta('a')}\n\ndata: ${delta('b')}\n\n`);
    // Nothing after [DONE] is passed on.
    assert.deepEqual(items.flatMap((item) => chunksOf(item).map((chunk) => chunk.choices[0]?.delta.content ?? 'tool')), ['a', 'b', 'tool', 'c', 'd']);
  });

  test('a truncated chunk that still ends in } is never forwarded as its text: the stream fails there as an upstream error', async () => {
    const base = '"id":"1","object":"chat.completion.chunk","created":1,"model":"m"';
    const good = `{${base},"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}`;
    // Cut after the delta's closing brace: starts with {, ends with }, holds "choices":[.
    const cut = good.slice(0, good.indexOf('},"finish_reason"') + 1);
    assert.ok(cut.endsWith('}'));
    const forwarded: string[] = [];
    await assert.rejects((async () => {
      for await (const item of mapOpenAIStream(iterate([{ data: good }, { data: cut }, { data: '[DONE]' }]), deployment(), {})) {
        if (item instanceof RawChunks) forwarded.push(item.framed());
      }
    })(), (error: unknown) => error instanceof ArbiterError && error.code === 'upstream_error' && error.retryable && /malformed/.test(error.message));
    assert.deepEqual(forwarded, [`data: ${good}\n\n`]);
  });

  test('parsed chunks whose choices are not chunk choices fail; a choice without a delta gets an empty one and is re-encoded', async () => {
    const base = '"id":"1","object":"chat.completion.chunk","created":1,"model":"m"';
    for (const choices of ['[1]', '[null]', '[{"delta":{}}]', '[{"index":0,"delta":"x"}]']) {
      await assert.rejects(collectChunks(mapOpenAIStream(iterate([{ data: `{${base},"usage":{},"choices":${choices}}` }]), deployment(), {})), (error: unknown) => (error as ArbiterError).code === 'upstream_error', choices);
    }
    const items: StreamItem[] = [];
    for await (const item of mapOpenAIStream(iterate([{ data: `{${base},"usage":null,"error":null,"choices":[{"index":0,"finish_reason":"stop"}]}` }, { data: '[DONE]' }]), deployment(), {})) items.push(item);
    assert.deepEqual(only(items[0]).choices[0]!.delta, {});
    assert.equal(wireTextOf(only(items[0])), undefined);
  });

  test('an unparsed chunk that turns out malformed fails when read, as an upstream error', () => {
    const broken = new RawChunks(['{"choices":[},"x":1}'], 'dep');
    assert.throws(() => chunksOf(broken), (e: unknown) => e instanceof ArbiterError && e.code === 'upstream_error' && /dep/.test(e.message));
  });

  test('a chat.completion passes through with cached and reasoning token details', () => {
    const response = fromOpenAIResponse(fixtureJson('openai-text.json'), deployment(), {});
    assert.equal(response.usage?.prompt_tokens_details?.cached_tokens, 1024);
    assert.equal(response.usage?.completion_tokens_details?.reasoning_tokens, 0);
    assert.equal((response as unknown as { service_tier: string }).service_tier, 'default');
  });

  test('parallel tool-call deltas assemble by index; the include_usage chunk has no choices', async () => {
    const chunks = await collectChunks(mapOpenAIStream(iterate(fixtureEvents('openai-parallel-tools.chunks.txt')), deployment(), {}));
    const usageChunk = chunks[chunks.length - 1]!;
    assert.deepEqual(usageChunk.choices, []);
    assert.equal(usageChunk.usage?.total_tokens, 138);
    const response = assemble(chunks);
    const calls = response.choices[0]?.message.tool_calls ?? [];
    assert.deepEqual(calls.map((call) => [call.id, JSON.parse(call.function.arguments)]), [
      ['call_DdmO9pD3xa9XTPNJ32zg2hcA', { location: 'Paris, France' }],
      ['call_ABCDEFGHIJKLMNOPQRSTUVWX', { location: 'Bogotá, Colombia' }],
    ]);
    assert.equal(response.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(response.choices[0]?.message.content, null);
  });

  test('a streamed refusal assembles into message.refusal', async () => {
    const response = assemble(await collectChunks(mapOpenAIStream(iterate(fixtureEvents('openai-refusal.chunks.txt')), deployment(), {})));
    assert.equal(response.choices[0]?.message.refusal, "I'm sorry, I can't assist with that request.");
    assert.equal(response.choices[0]?.message.content, null);
  });

  test('an error object mid-stream becomes a mapped error after the text so far', async () => {
    const seen: string[] = [];
    await assert.rejects((async () => {
      for await (const chunk of mapOpenAIStream(iterate(fixtureEvents('openai-stream-error.chunks.txt')), deployment(), {})) seen.push(chunksOf(chunk).map((c) => c.choices[0]?.delta.content ?? '').join(''));
    })(), (error: unknown) => error instanceof ArbiterError && error.status === 502 && error.retryable && /server had an error/.test(error.message));
    assert.deepEqual(seen, ['Once']);
    await assert.rejects(collectChunks(mapOpenAIStream(iterate([{ data: '{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}' }]), deployment(), {})), (error: unknown) => (error as ArbiterError).status === 429);
  });

  test('insufficient_quota is a 429 that no retry fixes', () => {
    assert.equal(parseOpenAIError({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } })?.retryable, false);
  });
});

describe('reasoning vendors', () => {
  test('DeepSeek streams reasoning_content beside content', async () => {
    const response = assemble(await collectChunks(mapOpenAIStream(iterate(fixtureEvents('deepseek-reasoning.chunks.txt')), deployment('deepseek'), quirks('deepseek'))));
    assert.equal(response.choices[0]?.message.reasoning_content, 'Compare 9.11 and 9.8: 0.11 < 0.80.');
    assert.equal(response.choices[0]?.message.content, '9.8 is greater.');
    assert.equal(response.usage?.completion_tokens_details?.reasoning_tokens, 30);
  });

  test('a response keeps its upstream text for forwarding only while nothing changed it', () => {
    const plainText = '{"id":"x","object":"chat.completion","created":1,"model":"m",\n"choices":[{"index":0,"message":{"role":"assistant","content":"B"},"finish_reason":"stop"}]}';
    const plain = fromOpenAIResponse(JSON.parse(plainText), deployment(), {}, plainText);
    assert.equal(wireTextOf(plain), plainText);
    const vendorText = plainText.replace('"content":"B"', '"content":"B","reasoning":"A"');
    const copied = fromOpenAIResponse(JSON.parse(vendorText), deployment('vllm'), quirks('vllm'), vendorText);
    assert.equal(copied.choices[0]?.message.reasoning_content, 'A');
    assert.equal(wireTextOf(copied), undefined);
  });

  test('a stream event spread over several data lines is rebuilt, since its text cannot be one line', async () => {
    const text = '{"id":"1","object":"chat.completion.chunk","created":1,"model":"m",\n"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":null}]}';
    const items: StreamItem[] = [];
    for await (const item of mapOpenAIStream(iterate([{ data: text }, { data: '[DONE]' }]), deployment(), {})) items.push(item);
    assert.equal(only(items[0]).choices[0]?.delta.tool_calls?.[0]?.function?.name, 'f');
    assert.equal(wireTextOf(only(items[0])), undefined);
  });

  test('a `reasoning` field (vLLM ≥ 0.11, OpenRouter, Groq, Ollama) is read as reasoning_content', () => {
    for (const preset of ['vllm', 'openrouter', 'groq', 'ollama', 'together']) {
      const response = fromOpenAIResponse({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'B', reasoning: 'A' }, finish_reason: 'stop' }] }, deployment(preset), quirks(preset));
      assert.equal(response.choices[0]?.message.reasoning_content, 'A', preset);
    }
  });

  const history = parseChatRequest({
    model: 'm',
    messages: [
      { role: 'developer', content: 'Be terse.' },
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: null, reasoning_content: 'Need the tool.', reasoning_details: [{ type: 'reasoning.text', text: 'Need the tool.', signature: 'c2ln', format: 'anthropic-claude-v1', index: 0 }], tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' }, extra_content: { google: { thought_signature: 'sig' } } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
    ],
  });
  type Sent = Array<{ role: string; reasoning_content?: string; reasoning_details?: unknown[]; tool_calls?: Array<{ extra_content?: unknown }> }>;

  test('OpenAI gets no fields it would reject as unknown in the history', () => {
    const messages = toOpenAIRequest(history, deployment(), {}, false).messages as Sent;
    assert.equal(messages[0]!.role, 'developer');
    assert.equal('reasoning_content' in messages[2]!, false);
    assert.equal('reasoning_details' in messages[2]!, false);
    assert.equal('extra_content' in messages[2]!.tool_calls![0]!, false);
  });

  test("OpenRouter gets Claude's signed reasoning_details back (its own field); DeepSeek does not", () => {
    const routed = toOpenAIRequest(history, deployment('openrouter'), quirks('openrouter'), false).messages as Sent;
    assert.deepEqual(routed[2]!.reasoning_details, [{ type: 'reasoning.text', text: 'Need the tool.', signature: 'c2ln', format: 'anthropic-claude-v1', index: 0 }]);
    assert.equal('reasoning_details' in (toOpenAIRequest(history, deployment('deepseek'), quirks('deepseek'), false).messages as Sent)[2]!, false);
  });

  test('DeepSeek gets reasoning_content back on tool-call turns (it answers 400 otherwise), system for developer', () => {
    const messages = toOpenAIRequest(history, deployment('deepseek'), quirks('deepseek'), false).messages as Sent;
    assert.equal(messages[0]!.role, 'system');
    assert.equal(messages[2]!.reasoning_content, 'Need the tool.');
  });

  test("Gemini's OpenAI endpoint gets its thought signatures back", () => {
    const messages = toOpenAIRequest(history, deployment('gemini-openai'), quirks('gemini-openai'), false).messages as Sent;
    assert.deepEqual(messages[2]!.tool_calls![0]!.extra_content, { google: { thought_signature: 'sig' } });
  });

  test('streams always ask for usage; vendors that reject stream_options get none', () => {
    const streaming = parseChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    assert.deepEqual(toOpenAIRequest(streaming, deployment(), {}, true).stream_options, { include_usage: true });
    assert.equal('stream_options' in toOpenAIRequest(streaming, deployment('mistral'), quirks('mistral'), true), false);
    const capped = parseChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], max_completion_tokens: 9 });
    const sent = toOpenAIRequest(capped, deployment('deepseek'), quirks('deepseek'), false);
    assert.equal(sent.max_tokens, 9);
    assert.equal('max_completion_tokens' in sent, false);
  });
});

describe('presets', () => {
  const expected: Record<string, [string, string | undefined]> = {
    deepseek: ['https://api.deepseek.com/v1', 'DEEPSEEK_API_KEY'],
    'qwen-intl': ['https://dashscope-intl.aliyuncs.com/compatible-mode/v1', 'DASHSCOPE_API_KEY'],
    'qwen-cn': ['https://dashscope.aliyuncs.com/compatible-mode/v1', 'DASHSCOPE_API_KEY'],
    moonshot: ['https://api.moonshot.ai/v1', 'MOONSHOT_API_KEY'],
    'moonshot-cn': ['https://api.moonshot.cn/v1', 'MOONSHOT_API_KEY'],
    zhipu: ['https://open.bigmodel.cn/api/paas/v4', 'ZHIPUAI_API_KEY'],
    minimax: ['https://api.minimax.io/v1', 'MINIMAX_API_KEY'],
    mistral: ['https://api.mistral.ai/v1', 'MISTRAL_API_KEY'],
    groq: ['https://api.groq.com/openai/v1', 'GROQ_API_KEY'],
    together: ['https://api.together.xyz/v1', 'TOGETHER_API_KEY'],
    fireworks: ['https://api.fireworks.ai/inference/v1', 'FIREWORKS_API_KEY'],
    openrouter: ['https://openrouter.ai/api/v1', 'OPENROUTER_API_KEY'],
    ollama: ['http://localhost:11434/v1', undefined],
    vllm: ['http://localhost:8000/v1', 'VLLM_API_KEY'],
    llamacpp: ['http://localhost:8080/v1', 'LLAMA_API_KEY'],
    lmstudio: ['http://localhost:1234/v1', undefined],
  };
  for (const [name, [baseUrl, keyEnv]] of Object.entries(expected)) {
    test(`${name}: ${baseUrl}`, () => {
      assert.equal(presets[name]?.baseUrl, baseUrl);
      assert.equal(presets[name]?.apiKeyEnv, keyEnv);
    });
  }

  test('hosted presets are https with a key variable; local ones are marked local', () => {
    for (const [name, preset] of Object.entries(presets)) {
      if (preset.local) assert.match(preset.baseUrl, /^http:\/\/localhost:\d+\/v1$/, name);
      else {
        assert.match(preset.baseUrl, /^https:\/\//, name);
        assert.match(preset.apiKeyEnv ?? '', /^[A-Z_]+_API_KEY$/, name);
      }
    }
  });
});
