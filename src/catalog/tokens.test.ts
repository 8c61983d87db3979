import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../core/chat-request.js';
import { countTextTokens, estimatePromptTokens, estimateTextTokens, tokenizerFor } from './tokens.js';

const user = (content: ChatRequest['messages'][number]['content']): ChatRequest =>
  ({ model: 'gpt-4o', messages: [{ role: 'user', content }] }) as ChatRequest;

describe('countTextTokens', () => {
  it('counts known strings in o200k and cl100k', () => {
    assert.equal(countTextTokens('hello world'), 2);
    assert.equal(countTextTokens('hello world', 'cl100k_base'), 2);
    // o200k's larger vocabulary packs non-English text tighter than cl100k.
    const text = 'Привет, как дела? Это проверка токенизатора.';
    assert.ok(countTextTokens(text, 'o200k_base') < countTextTokens(text, 'cl100k_base'));
  });

  it('counts special-token text as plain text instead of throwing', () => {
    assert.ok(countTextTokens('<|endoftext|> and <|im_start|>') > 2);
  });

  it('returns 0 for empty or non-string input', () => {
    assert.equal(countTextTokens(''), 0);
    assert.equal(countTextTokens(undefined as unknown as string), 0);
    assert.equal(countTextTokens(42 as unknown as string), 0);
  });

  it('stays near the exact count on a long whitespace-free run', () => {
    // 'x' * 8 is one o200k token; slicing every 256 characters keeps the ratio.
    assert.equal(countTextTokens('x'.repeat(4096)), 512);
    const sampled = countTextTokens('x'.repeat(400_000));
    assert.ok(Math.abs(sampled - 50_000) / 50_000 < 0.02, `got ${sampled}`);
  });

  it('extrapolates very long text from samples within a few percent', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog while 42 ducks watch. ';
    const exactPerSentence = countTextTokens(sentence.repeat(100)) / 100;
    const huge = sentence.repeat(6000);
    const estimate = countTextTokens(huge);
    assert.ok(Math.abs(estimate - exactPerSentence * 6000) / (exactPerSentence * 6000) < 0.03, `got ${estimate}`);
  });

  it('keeps surrogate pairs whole when slicing', () => {
    const emoji = '😀'.repeat(1000);
    assert.ok(countTextTokens(emoji) > 0);
  });
});

describe('tokenizerFor', () => {
  it('uses o200k for GPT-4o/4.1/5 and o-series, cl100k for GPT-4 and 3.5', () => {
    for (const id of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-5-mini', 'o3', 'o4-mini', 'gpt-oss-120b']) {
      assert.deepEqual([id, tokenizerFor(id).encoding, tokenizerFor(id).exact], [id, 'o200k_base', true]);
    }
    for (const id of ['gpt-4-turbo', 'gpt-4', 'gpt-3.5-turbo']) assert.equal(tokenizerFor(id).encoding, 'cl100k_base', id);
  });

  it('approximates other families with a factor over o200k', () => {
    assert.equal(tokenizerFor('claude-sonnet-4-5').factor, 1.35);
    assert.equal(tokenizerFor('claude-opus-4-7').factor, 1.6);
    assert.equal(tokenizerFor('deepseek-chat').factor, 1.1);
    assert.equal(tokenizerFor('something-else').factor, 1.2);
    assert.equal(tokenizerFor({ id: 'x', vendor: 'mistral' }).exact, false);
    assert.deepEqual(tokenizerFor({ id: 'x', vendor: 'acme', tokenizer: { encoding: 'cl100k_base', factor: 1.05 } }),
      { encoding: 'cl100k_base', factor: 1.05, exact: false, vendor: 'acme' });
  });
});

describe('estimatePromptTokens', () => {
  it('adds ChatML framing: 3 per message, the role, 3 to prime the reply', () => {
    assert.equal(estimatePromptTokens(user('hello world')), 3 + 1 + 2 + 3);
  });

  it('counts tool definitions', () => {
    const base = estimatePromptTokens(user('hello world'));
    const withTools = estimatePromptTokens({
      ...user('hello world'),
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
    });
    assert.ok(withTools - base > 20, `tools added only ${withTools - base}`);
  });

  it('prices images by detail level', () => {
    const text = estimatePromptTokens(user([{ type: 'text', text: 'hello world' }]));
    const low = estimatePromptTokens(user([{ type: 'text', text: 'hello world' }, { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } }]));
    const high = estimatePromptTokens(user([{ type: 'text', text: 'hello world' }, { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'high' } }]));
    assert.equal(low - text, 85);
    assert.equal(high - text, 765);
  });

  it('applies the model family factor and Claude image cost', () => {
    const request = user([{ type: 'text', text: 'hello world' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }]);
    const claude = estimatePromptTokens(request, { id: 'claude-sonnet-4-5', vendor: 'anthropic' });
    assert.equal(claude, Math.ceil((3 + 1 + 2 + 3) * 1.35) + 1600);
  });

  it('counts assistant tool calls and tool results', () => {
    const request = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"temp": 21}' },
      ],
    } as ChatRequest;
    assert.ok(estimatePromptTokens(request) > estimatePromptTokens(user('weather?')) + 10);
  });

  it('never throws on malformed input', () => {
    const circular: Record<string, unknown> = { type: 'mystery' };
    circular.self = circular;
    const weird = {
      model: 7,
      messages: [null, 5, { role: 'user', content: [circular, null, { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }, { type: 'file', file: {} }] }, { role: 'user', content: { odd: true } }],
      tools: [null, { type: 'function' }],
    } as unknown as ChatRequest;
    const count = estimatePromptTokens(weird);
    assert.ok(Number.isFinite(count) && count > 0);
    assert.equal(estimatePromptTokens({} as ChatRequest), 3);
  });

  it('estimates text for non-OpenAI models with the factor', () => {
    assert.equal(estimateTextTokens('hello world', 'deepseek-chat'), Math.ceil(2 * 1.1));
  });
});
