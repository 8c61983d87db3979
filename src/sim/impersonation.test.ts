import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { countFamilyTokens } from '../core/family-tokenizers.js';
import { startSimulator, type RunningSimulator } from './server.js';
import { impersonatedPromptTokens } from './impersonation.js';
import { personaAnswer } from './persona.js';
import type { NeutralRequest } from './answer.js';
import { buildZoo, ZOO_PERTURBATIONS } from './zoo.js';

function request(text: string, system = ''): NeutralRequest {
  return {
    model: 'm', system, userTexts: [text], promptParts: system ? [system, text] : [text], messageCount: system ? 2 : 1, tools: [],
    toolRequired: false, toolsDisabled: false, parallelToolCalls: true, json: false, afterToolResult: false, stream: false, choices: 1,
  };
}

describe('impersonated prompt_tokens', () => {
  const text = '人工智能模型的分词器各不相同。 def f(x): return x';
  it('count the content with the real tokenizer inside the template: only the constant framing differs', () => {
    const chatml = impersonatedPromptTokens({ tokenizer: 'qwen', template: 'chatml', style: 'vllm-style' }, request(text), 1, 0);
    const chatmlLonger = impersonatedPromptTokens({ tokenizer: 'qwen', template: 'chatml', style: 'vllm-style' }, request(text + text), 1, 0);
    assert.equal(chatmlLonger - chatml, countFamilyTokens('qwen', text + text) - countFamilyTokens('qwen', text));
    const llama3 = impersonatedPromptTokens({ tokenizer: 'llama3', template: 'llama3', style: 'vllm-style' }, request(text), 1, 0);
    assert.notEqual(llama3 - countFamilyTokens('llama3', text), 0, 'the template adds framing tokens');
  });

  it('add a hidden system prompt the caller pays for, and jitter within ±1', () => {
    const plain = impersonatedPromptTokens({ tokenizer: 'qwen', template: 'chatml', style: 'vllm-style' }, request(text), 1, 0);
    const hidden = impersonatedPromptTokens({ tokenizer: 'qwen', template: 'chatml', style: 'vllm-style', hiddenSystemPrompt: 'You are Aria.' }, request(text), 1, 0);
    assert.ok(hidden > plain + 3);
    const seen = new Set<number>();
    for (let counter = 0; counter < 40; counter++) seen.add(impersonatedPromptTokens({ tokenizer: 'qwen', template: 'chatml', style: 'vllm-style', jitter: 1 }, request(text), 1, counter) - plain);
    assert.deepEqual([...seen].sort(), [-1, 0, 1]);
  });

  it('behind a recounting proxy are cl100k by OpenAI\'s formula, whatever the model', () => {
    const recounted = impersonatedPromptTokens({ tokenizer: 'llama2', template: 'llama2-inst', style: 'generic', recount: 'cl100k', hiddenSystemPrompt: 'secret' }, request(text), 1, 0);
    assert.equal(recounted, 3 + 4 + countFamilyTokens('cl100k', text));
  });
});

describe('personas', () => {
  it('vary between requests: the family story, a generic assistant, or a ChatGPT claim', () => {
    const answers = new Set(Array.from({ length: 30 }, (_, counter) => personaAnswer('qwen', 'self', 1, counter)));
    assert.ok([...answers].some((answer) => answer.includes('Qwen')));
    assert.ok([...answers].some((answer) => answer.includes('ChatGPT')));
    assert.ok([...answers].some((answer) => !answer.includes('Qwen') && !answer.includes('ChatGPT')));
  });
});

describe('the zoo', () => {
  it('has every perturbation for every family and seed, each endpoint once', () => {
    const zoo = buildZoo({ families: ['qwen', 'llama3'], seeds: [1, 2, 3] });
    assert.equal(zoo.length, 2 * ZOO_PERTURBATIONS.length * 3);
    assert.equal(new Set(zoo.map((entry) => entry.id)).size, zoo.length);
  });
});

describe('impersonated endpoints on the wire', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSimulator({ impersonations: { 'fake-gpt': { tokenizer: 'qwen', template: 'chatml', style: 'deepseek', echoModel: 'gpt-4o' } } });
  });
  after(async () => {
    await sim.close();
  });

  it('parse with the official openai client, echo the claimed name and carry the styled usage', async () => {
    const client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'x' });
    const completion = await client.chat.completions.create({ model: 'fake-gpt', messages: [{ role: 'user', content: 'Hello there' }], max_tokens: 5 });
    assert.equal(completion.model, 'gpt-4o');
    assert.match(completion.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(completion.system_fingerprint ?? '', /_prod0820_fp8_kvcache$/);
    const usage = completion.usage as unknown as Record<string, number>;
    assert.equal(usage.prompt_cache_miss_tokens, usage.prompt_tokens);
    const models = await client.models.list();
    assert.deepEqual(models.data.map((model) => model.id), ['fake-gpt']);
  });
});
