/** The simulator driven by the official OpenAI, Anthropic and Gemini clients. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI, FunctionCallingConfigMode } from '@google/genai';
import { startSimulator, type RunningSimulator } from './server.js';
import { findTask } from './task-index.js';

let sim: RunningSimulator;
let openai: OpenAI;
let anthropic: Anthropic;
let gemini: GoogleGenAI;

before(async () => {
  sim = await startSimulator({ port: 0, latencyScale: 0, seed: 7 });
  openai = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'x', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: sim.url, apiKey: 'x', maxRetries: 0 });
  gemini = new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: sim.url } });
});

after(async () => {
  await sim?.close();
});

const prompt = 'Write a short note about lighthouses and the sea.';

async function viaOpenAi(text: string, max = 200): Promise<string> {
  const data = await openai.chat.completions.create({ model: 'sim-frontier', messages: [{ role: 'user', content: text }], max_tokens: max });
  return data.choices[0]?.message.content ?? '';
}

describe('wire formats through the official clients', () => {
  test('prompt tokens count message framing as OpenAI bills it', async () => {
    // tiktoken's rule: 3 tokens a message + role + content, 3 priming the reply. 'Hi' is one token.
    const one = await openai.chat.completions.create({ model: 'sim-swift', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5 });
    assert.equal(one.usage?.prompt_tokens, 8);
    const two = await openai.chat.completions.create({ model: 'sim-swift', messages: [{ role: 'system', content: 'Hi' }, { role: 'user', content: 'Hi' }], max_tokens: 5 });
    assert.equal(two.usage?.prompt_tokens, 13);
  });

  test('special-token text in a prompt is counted as text, not refused', async () => {
    const completion = await openai.chat.completions.create({ model: 'sim-swift', messages: [{ role: 'user', content: 'Ignore this <|endoftext|> and <|im_start|>system.' }], max_tokens: 8 });
    assert.ok(completion.usage && completion.usage.prompt_tokens > 10);
    const embedded = await openai.embeddings.create({ model: 'sim-swift', input: '<|endoftext|>' });
    assert.ok(embedded.usage.prompt_tokens > 1);
  });

  test('openai: JSON, stream with usage chunk, models, embeddings', async () => {
    const data = await openai.chat.completions.create({ model: 'sim-swift', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: prompt }], max_tokens: 200 });
    assert.equal(data.object, 'chat.completion');
    assert.ok((data.choices[0]?.message.content ?? '').length > 0);
    assert.ok((data.usage?.prompt_tokens ?? 0) > 0);
    const stream = await openai.chat.completions.create({ model: 'sim-swift', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: prompt }], max_tokens: 200, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage = false;
    for await (const chunk of stream) {
      if (chunk.usage) {
        usage = true;
        assert.equal(chunk.choices.length, 0);
      }
      text += chunk.choices[0]?.delta.content ?? '';
    }
    assert.equal(text, data.choices[0]?.message.content);
    assert.ok(usage);
    const models = await openai.models.list();
    assert.ok(models.data.some((model) => model.id === 'sim-frontier'));
    const embedded = await openai.embeddings.create({ model: 'text-embedding-3-small', input: ['hello world', 'hello world'], dimensions: 64 });
    const vector = embedded.data[0]?.embedding ?? [];
    assert.equal(vector.length, 64);
    assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-3);
    assert.deepEqual(embedded.data[1]?.embedding, vector);
  });

  test('same text in all three formats; max tokens truncates', async () => {
    const a = await viaOpenAi(prompt);
    const b = await anthropic.messages.create({ model: 'sim-frontier', max_tokens: 200, messages: [{ role: 'user', content: prompt }] });
    const c = await gemini.models.generateContent({ model: 'sim-frontier', contents: prompt, config: { maxOutputTokens: 200 } });
    assert.equal(b.content[0]?.type === 'text' ? b.content[0].text : '', a);
    assert.equal(c.text, a);
    const short = await openai.chat.completions.create({ model: 'sim-frontier', messages: [{ role: 'user', content: prompt }], max_tokens: 3 });
    assert.equal(short.choices[0]?.finish_reason, 'length');
  });

  test('anthropic: stream and forced tool use', async () => {
    const whole = await anthropic.messages.create({ model: 'sim-swift', max_tokens: 300, messages: [{ role: 'user', content: prompt }] });
    const stream = await anthropic.messages.create({ model: 'sim-swift', max_tokens: 300, messages: [{ role: 'user', content: prompt }], stream: true });
    let text = '';
    const kinds: string[] = [];
    for await (const event of stream) {
      kinds.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    assert.equal(text, whole.content[0]?.type === 'text' ? whole.content[0].text : '');
    assert.equal(kinds[0], 'message_start');
    assert.equal(kinds[kinds.length - 1], 'message_stop');
    const tool = { name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
    const forced = await anthropic.messages.create({ model: 'sim-frontier', max_tokens: 300, messages: [{ role: 'user', content: 'Weather in Lisbon?' }], tools: [tool], tool_choice: { type: 'tool', name: 'get_weather' } });
    const use = forced.content.find((block) => block.type === 'tool_use');
    assert.ok(use && use.type === 'tool_use');
    assert.match(use.id, /^toolu_/);
    assert.deepEqual(use.input, { city: 'Lisbon' });
    assert.equal(forced.stop_reason, 'tool_use');
    const streamed = anthropic.messages.stream({ model: 'sim-frontier', max_tokens: 300, messages: [{ role: 'user', content: 'Weather in Lisbon?' }], tools: [tool], tool_choice: { type: 'tool', name: 'get_weather' } });
    const final = await streamed.finalMessage();
    const streamedUse = final.content.find((block) => block.type === 'tool_use');
    assert.deepEqual(streamedUse?.type === 'tool_use' ? streamedUse.input : undefined, { city: 'Lisbon' });
  });

  test('gemini: embedContent through the official client, deterministic and sized as asked', async () => {
    const first = await gemini.models.embedContent({ model: 'gemini-embedding-001', contents: ['lighthouses', 'the sea'] });
    assert.equal(first.embeddings?.length, 2);
    assert.equal(first.embeddings?.[0]?.values?.length, 3072);
    const again = await gemini.models.embedContent({ model: 'gemini-embedding-001', contents: ['lighthouses'], config: { outputDimensionality: 256 } });
    assert.equal(again.embeddings?.[0]?.values?.length, 256);
    assert.notDeepEqual(first.embeddings?.[0]?.values, first.embeddings?.[1]?.values);
  });

  test('gemini: stream and function calling', async () => {
    const whole = await gemini.models.generateContent({ model: 'sim-swift', contents: prompt });
    let text = '';
    for await (const chunk of await gemini.models.generateContentStream({ model: 'sim-swift', contents: prompt })) text += chunk.text ?? '';
    assert.equal(text, whole.text);
    assert.ok((whole.usageMetadata?.totalTokenCount ?? 0) > 0);
    const called = await gemini.models.generateContent({
      model: 'sim-frontier',
      contents: 'Weather in Lisbon?',
      config: {
        tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }] }],
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: ['get_weather'] } },
      },
    });
    assert.equal(called.functionCalls?.[0]?.name, 'get_weather');
    assert.deepEqual(called.functionCalls?.[0]?.args, { city: 'Lisbon' });
  });
});

describe('several choices: OpenAI n and Gemini candidateCount', () => {
  const messages = [{ role: 'user' as const, content: prompt }];

  test('openai: n answers, the first the single answer, usage billing all of them; streamed alike', async () => {
    const single = await openai.chat.completions.create({ model: 'sim-swift', messages, max_tokens: 60 });
    const three = await openai.chat.completions.create({ model: 'sim-swift', messages, max_tokens: 60, n: 3 });
    assert.deepEqual(three.choices.map((choice) => choice.index), [0, 1, 2]);
    assert.equal(three.choices[0]?.message.content, single.choices[0]?.message.content);
    assert.ok(new Set(three.choices.map((choice) => choice.message.content)).size > 1, 'alternatives differ');
    assert.equal(three.usage?.prompt_tokens, single.usage?.prompt_tokens);
    assert.ok((three.usage?.completion_tokens ?? 0) > (single.usage?.completion_tokens ?? 0));
    const texts = ['', '', ''];
    let usage = 0;
    const stream = await openai.chat.completions.create({ model: 'sim-swift', messages, max_tokens: 60, n: 3, stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) {
      for (const choice of chunk.choices) texts[choice.index] += choice.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage.completion_tokens;
    }
    assert.deepEqual(texts, three.choices.map((choice) => choice.message.content));
    assert.equal(usage, three.usage?.completion_tokens);
    await assert.rejects(openai.chat.completions.create({ model: 'sim-swift', messages, n: 0 }), (error: unknown) => error instanceof OpenAI.BadRequestError);
  });

  test('gemini: candidateCount candidates, streamed alike, with usage over all', async () => {
    const config = { maxOutputTokens: 60, candidateCount: 2 };
    const whole = await gemini.models.generateContent({ model: 'sim-swift', contents: prompt, config });
    assert.deepEqual(whole.candidates?.map((candidate) => candidate.index), [0, 1]);
    const texts = ['', ''];
    let candidatesTokens = 0;
    for await (const chunk of await gemini.models.generateContentStream({ model: 'sim-swift', contents: prompt, config })) {
      for (const candidate of chunk.candidates ?? []) texts[candidate.index ?? 0] += candidate.content?.parts?.map((part) => part.text ?? '').join('') ?? '';
      candidatesTokens = chunk.usageMetadata?.candidatesTokenCount ?? candidatesTokens;
    }
    assert.deepEqual(texts, whole.candidates?.map((candidate) => candidate.content?.parts?.map((part) => part.text ?? '').join('')));
    assert.equal(candidatesTokens, whole.usageMetadata?.candidatesTokenCount);
  });
});

describe('tool use, JSON and in-band errors through the official Anthropic and Gemini clients', () => {
  const weather = { name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
  const time = { name: 'get_local_time', description: 'Local time', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
  const both = 'What is the weather and the local time in Lisbon?';

  test('anthropic: parallel tool_use blocks, streamed alike; disable_parallel_tool_use gives one', async () => {
    const whole = await anthropic.messages.create({ model: 'sim-frontier', max_tokens: 300, messages: [{ role: 'user', content: both }], tools: [weather, time] });
    const uses = whole.content.filter((block) => block.type === 'tool_use');
    assert.deepEqual(uses.map((block) => block.type === 'tool_use' ? block.name : ''), ['get_weather', 'get_local_time']);
    assert.equal(whole.stop_reason, 'tool_use');
    assert.equal(whole.usage.cache_read_input_tokens, 0);
    const streamed = await anthropic.messages.stream({ model: 'sim-frontier', max_tokens: 300, messages: [{ role: 'user', content: both }], tools: [weather, time] }).finalMessage();
    assert.deepEqual(streamed.content.filter((block) => block.type === 'tool_use').map((block) => block.type === 'tool_use' ? [block.name, block.input] : []), uses.map((block) => block.type === 'tool_use' ? [block.name, block.input] : []));
    assert.equal(streamed.stop_reason, 'tool_use');
    assert.ok(streamed.usage.output_tokens > 0);
    const single = await anthropic.messages.create({ model: 'sim-frontier', max_tokens: 300, messages: [{ role: 'user', content: both }], tools: [weather, time], tool_choice: { type: 'auto', disable_parallel_tool_use: true } });
    assert.equal(single.content.filter((block) => block.type === 'tool_use').length, 1);
  });

  test('anthropic: max_tokens stops with stop_reason max_tokens', async () => {
    const short = await anthropic.messages.create({ model: 'sim-frontier', max_tokens: 3, messages: [{ role: 'user', content: prompt }] });
    assert.equal(short.stop_reason, 'max_tokens');
    assert.equal(short.usage.output_tokens, 3);
  });

  test('anthropic: an overloaded error event mid-stream makes the SDK throw', async () => {
    const stream = await anthropic.messages.create({ model: 'sim-frontier', max_tokens: 300, messages: [{ role: 'user', content: prompt }], stream: true }, { headers: { 'x-sim-fault': 'stream-error' } });
    const kinds: string[] = [];
    await assert.rejects((async () => {
      for await (const event of stream) kinds.push(event.type);
    })(), (error: unknown) => error instanceof Anthropic.APIError && /overloaded_error/.test(error.message));
    assert.equal(kinds[0], 'message_start');
    await assert.rejects(anthropic.messages.create({ model: 'sim-frontier', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-sim-fault': 'stream-error' } }), (error: unknown) => error instanceof Anthropic.APIError && error.status === 529);
  });

  const geminiTools = [{ functionDeclarations: [
    { name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    { name: 'get_local_time', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  ] }];

  test('gemini: parallel function calls, streamed alike, with usage', async () => {
    const whole = await gemini.models.generateContent({ model: 'sim-frontier', contents: both, config: { tools: geminiTools } });
    const calls = (whole.functionCalls ?? []).map((call) => [call.name, call.args]);
    assert.deepEqual(calls.map(([name]) => name), ['get_weather', 'get_local_time']);
    assert.equal(whole.candidates?.[0]?.finishReason, 'STOP');
    const streamedCalls: unknown[] = [];
    let usage = 0;
    for await (const chunk of await gemini.models.generateContentStream({ model: 'sim-frontier', contents: both, config: { tools: geminiTools } })) {
      for (const call of chunk.functionCalls ?? []) streamedCalls.push([call.name, call.args]);
      usage = chunk.usageMetadata?.totalTokenCount ?? usage;
    }
    assert.deepEqual(streamedCalls, calls);
    assert.ok(usage > 0);
  });

  test('gemini: responseJsonSchema answers are JSON following the schema', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, temperature_c: { type: 'number' } }, required: ['city', 'temperature_c'] };
    const answer = await gemini.models.generateContent({ model: 'sim-frontier', contents: 'Report the weather in Lisbon as JSON.', config: { responseMimeType: 'application/json', responseJsonSchema: schema } });
    const value = JSON.parse(answer.text ?? '') as Record<string, unknown>;
    assert.equal(typeof value.city, 'string');
    assert.equal(typeof value.temperature_c, 'number');
  });

  test('gemini: an error event mid-stream makes the SDK throw with its status', async () => {
    let text = '';
    await assert.rejects((async () => {
      const stream = await gemini.models.generateContentStream({ model: 'sim-frontier', contents: prompt, config: { httpOptions: { headers: { 'x-sim-fault': 'stream-error' } } } });
      for await (const chunk of stream) text += chunk.text ?? '';
    })(), (error: unknown) => error instanceof ApiError && error.status === 503);
    assert.ok(text.length > 0, 'text before the error was delivered');
  });
});

describe('known eval tasks', () => {
  test('a HumanEval item answered correctly is prompt + canonical solution', async () => {
    const items = readFileSync(new URL('../../data/datasets/humaneval/HumanEval.jsonl', import.meta.url), 'utf8').split('\n').filter(Boolean).slice(0, 40)
      .map((line) => JSON.parse(line) as { prompt: string; canonical_solution: string; task_id: string });
    let correct = 0;
    let wrong = 0;
    for (const item of items) {
      const text = await viaOpenAi(`Complete this function.\n\n${item.prompt}`, 4000);
      const expected = `\`\`\`python\n${item.prompt}${item.canonical_solution}${item.canonical_solution.endsWith('\n') ? '' : '\n'}\`\`\``;
      if (text === expected) correct++;
      else {
        assert.match(text, /^```python\n/);
        wrong++;
      }
    }
    assert.ok(correct > 25, `frontier should pass most: ${correct}`);
    assert.ok(correct + wrong === items.length);
  });

  test('SQuAD: a wrong answer is never gold, a right one is', async () => {
    const squad = JSON.parse(readFileSync(new URL('../../data/datasets/squad-v1.1/dev-v1.1.json', import.meta.url), 'utf8')) as { data: Array<{ paragraphs: Array<{ context: string; qas: Array<{ question: string; answers: Array<{ text: string }> }> }> }> };
    const paragraph = squad.data[0]!.paragraphs[0]!;
    let wrongSeen = 0;
    for (const qa of paragraph.qas) {
      const data = await openai.chat.completions.create({ model: 'sim-local-small', messages: [{ role: 'user', content: `Context: ${paragraph.context}\nQuestion: ${qa.question}\nAnswer:` }] });
      const text = data.choices[0]?.message.content ?? '';
      const gold = qa.answers.map((answer) => answer.text);
      if (text !== gold[0]) {
        wrongSeen++;
        assert.ok(!gold.includes(text), `wrong answer '${text}' is gold`);
      }
    }
    assert.ok(findTask(paragraph.qas[0]!.question));
    assert.ok(wrongSeen >= 0);
  });

  test('BFCL: calls come from the possible answer with offered names', async () => {
    const line = readFileSync(new URL('../../data/datasets/bfcl/BFCL_v4_simple_python.json', import.meta.url), 'utf8').split('\n')[0]!;
    const item = JSON.parse(line) as { id: string; question: Array<Array<{ role: string; content: string }>>; function: Array<{ name: string; description: string; parameters: Record<string, unknown> }> };
    const tools = item.function.map((fn) => ({ type: 'function' as const, function: { name: fn.name.replace(/\./g, '_'), description: fn.description, parameters: { ...fn.parameters, type: 'object' } } }));
    const data = await openai.chat.completions.create({ model: 'sim-frontier', messages: [{ role: 'user', content: item.question[0]![0]!.content }], tools });
    const call = data.choices[0]?.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.equal(call.function.name, tools[0]!.function.name);
    assert.equal(typeof JSON.parse(call.function.arguments), 'object');
  });
});

describe('faults and hostile input', () => {
  test('429 with retry-after, 500, malformed, cut', async () => {
    const r429 = await fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sim-fault': '429' }, body: JSON.stringify({ model: 'sim-frontier', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(r429.status, 429);
    assert.equal(r429.headers.get('retry-after'), '1');
    assert.equal(r429.headers.get('retry-after-ms'), '1000');
    await assert.rejects(anthropic.messages.create({ model: 'sim-frontier', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-sim-fault': 'error' } }), (error: unknown) => error instanceof Anthropic.InternalServerError);
    await assert.rejects(anthropic.messages.create({ model: 'sim-frontier', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-sim-fault': '429' } }), (error: unknown) => error instanceof Anthropic.RateLimitError);
    const bad = await fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sim-fault': 'malformed' }, body: JSON.stringify({ model: 'sim-frontier', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(bad.status, 200);
    await assert.rejects(bad.json());
    await assert.rejects((async () => {
      const stream = await openai.chat.completions.create({ model: 'sim-frontier', messages: [{ role: 'user', content: prompt }], stream: true }, { headers: { 'x-sim-fault': 'cut' } });
      for await (const chunk of stream) void chunk;
    })());
    const rate = await fetch(`${sim.url}/v1beta/models/sim-frontier:generateContent`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sim-429-rate': '1' }, body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) });
    assert.equal(rate.status, 429);
    assert.equal(((await rate.json()) as { error: { status: string } }).error.status, 'RESOURCE_EXHAUSTED');
  });

  test('unknown model is 404 and hostile bodies are 400 in each format', async () => {
    await assert.rejects(openai.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.NotFoundError);
    await assert.rejects(anthropic.messages.create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof Anthropic.NotFoundError);
    for (const path of ['/v1/chat/completions', '/v1/messages', '/v1beta/models/sim-frontier:generateContent', '/v1/embeddings']) {
      for (const body of ['{not json', 'null', '[]', '42', JSON.stringify({ model: 5, messages: 'x' }), JSON.stringify({ model: 'sim-frontier', messages: [null], contents: [7] })]) {
        const response = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        assert.equal(response.status, 400, `${path} ${body}`);
        await response.json();
      }
    }
    const still = await viaOpenAi('still alive?');
    assert.ok(still.length > 0);
  });
});
