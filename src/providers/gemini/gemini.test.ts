import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChatRequest } from '../../core/chat-request.js';
import { ArbiterError } from '../../core/errors.js';
import { assemble, collectChunks, fixtureEvents, fixtureJson, iterate } from '../__fixtures__/read.js';
import { geminiStreamError, parseDuration, parseGeminiError } from './errors.js';
import { mapGeminiFinishReason } from './finish-reason.js';
import { toGeminiRequest } from './request.js';
import { fromGeminiResponse } from './response.js';
import { toGeminiSchema } from './schema.js';
import { mapGeminiStream } from './stream.js';
import { mapGeminiUsage } from './usage.js';

type Contents = Array<{ role: string; parts: Array<Record<string, Record<string, unknown> | string | undefined>> }>;
const request = (body: Record<string, unknown>) => parseChatRequest({ model: 'g', messages: [{ role: 'user', content: 'hi' }], ...body });

describe('gemini finish reasons', () => {
  const table = [
    ['STOP', false, 'stop'], ['STOP', true, 'tool_calls'], ['MAX_TOKENS', false, 'length'], ['SAFETY', false, 'content_filter'],
    ['RECITATION', false, 'content_filter'], ['LANGUAGE', false, 'content_filter'], ['BLOCKLIST', false, 'content_filter'],
    ['PROHIBITED_CONTENT', false, 'content_filter'], ['SPII', false, 'content_filter'], ['IMAGE_SAFETY', false, 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', false, 'stop'], ['UNEXPECTED_TOOL_CALL', false, 'stop'], ['OTHER', false, 'stop'], [undefined, false, 'stop'],
  ] as const;
  for (const [raw, calls, unified] of table) test(`${raw}${calls ? ' with calls' : ''} → ${unified}`, () => assert.equal(mapGeminiFinishReason(raw, calls), unified));

  test('a MALFORMED_FUNCTION_CALL keeps its raw reason', () => {
    const response = fromGeminiResponse({ candidates: [{ content: { parts: [] }, finishReason: 'MALFORMED_FUNCTION_CALL', index: 0 }], responseId: 'x' }, 'g');
    assert.equal(response.choices[0]?.finish_reason, 'stop');
    assert.equal(response.choices[0]?.native_finish_reason, 'MALFORMED_FUNCTION_CALL');
  });

  test('a blocked prompt (no candidates) is one empty content_filter choice, JSON and streamed', async () => {
    const response = fromGeminiResponse(fixtureJson('gemini-prompt-blocked.json'), 'g');
    assert.equal(response.choices.length, 1);
    assert.equal(response.choices[0]?.finish_reason, 'content_filter');
    assert.equal(response.choices[0]?.native_finish_reason, 'SAFETY');
    assert.equal(response.usage?.prompt_tokens, 8);
    const streamed = assemble(await collectChunks(mapGeminiStream(iterate([{ data: JSON.stringify(fixtureJson('gemini-prompt-blocked.json')) }]), 'g')));
    assert.equal(streamed.choices[0]?.finish_reason, 'content_filter');
    assert.equal(streamed.usage?.prompt_tokens, 8);
  });
});

describe('gemini usage and tool calls', () => {
  test('thoughts join completion tokens as reasoning tokens; tool-use prompt tokens are prompt', () => {
    const usage = mapGeminiUsage({ promptTokenCount: 100, cachedContentTokenCount: 60, candidatesTokenCount: 20, thoughtsTokenCount: 30, toolUsePromptTokenCount: 7, totalTokenCount: 157 });
    assert.deepEqual(usage, { prompt_tokens: 107, completion_tokens: 50, total_tokens: 157, prompt_tokens_details: { cached_tokens: 60 }, completion_tokens_details: { reasoning_tokens: 30 } });
  });

  test('parallel calls with a thought signature: signature kept per call, ids unique and made up', () => {
    const response = fromGeminiResponse(fixtureJson('gemini-thought-signature.json'), 'g');
    const calls = response.choices[0]?.message.tool_calls ?? [];
    assert.equal(calls.length, 2);
    assert.equal(calls[0]?.extra_content?.google?.thought_signature, 'CiQBcsjafDyOR1w2tJ3dz7b9vM2Rx0qqb4eCw0k2LWX1yA==');
    assert.equal(calls[1]?.extra_content, undefined);
    assert.notEqual(calls[0]?.id, calls[1]?.id);
    assert.deepEqual(JSON.parse(calls[1]!.function.arguments), { flight: 'BA200' });
    assert.equal(response.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(response.usage?.completion_tokens, 30 + 88);
  });

  test('the next turn sends the signature back and names each response by its call', () => {
    const first = fromGeminiResponse(fixtureJson('gemini-thought-signature.json'), 'g').choices[0]!.message;
    const body = toGeminiRequest(request({
      messages: [
        { role: 'user', content: 'Status of AA100 and BA200?' },
        { role: 'assistant', content: null, tool_calls: first.tool_calls },
        { role: 'tool', tool_call_id: first.tool_calls![0]!.id, content: '{"status":"on time"}' },
        { role: 'tool', tool_call_id: first.tool_calls![1]!.id, content: 'delayed' },
      ],
    }));
    const contents = body.contents as Contents;
    assert.deepEqual(contents.map((content) => content.role), ['user', 'model', 'user']);
    assert.equal(contents[1]!.parts[0]!.thoughtSignature, 'CiQBcsjafDyOR1w2tJ3dz7b9vM2Rx0qqb4eCw0k2LWX1yA==');
    assert.equal(contents[1]!.parts[1]!.thoughtSignature, undefined);
    // Ids we made up are not sent as if Gemini had issued them.
    assert.equal((contents[1]!.parts[0]!.functionCall as Record<string, unknown>).id, undefined);
    assert.deepEqual(contents[2]!.parts.map((part) => part.functionResponse), [
      { name: 'check_flight', response: { status: 'on time' } },
      { name: 'check_flight', response: { content: 'delayed' } },
    ]);
  });

  test('call ids Gemini issued go back on the call and its response', () => {
    const body = toGeminiRequest(request({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'fc-8u2', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'fc-8u2', content: '{}' },
      ],
    }));
    const contents = body.contents as Contents;
    assert.equal((contents[1]!.parts[0]!.functionCall as Record<string, unknown>).id, 'fc-8u2');
    assert.equal((contents[2]!.parts[0]!.functionResponse as Record<string, unknown>).id, 'fc-8u2');
  });

  test('two responses never reuse a made-up call id', () => {
    const body = { candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: {} } }] }, finishReason: 'STOP' }] };
    const a = fromGeminiResponse(body, 'g').choices[0]!.message.tool_calls![0]!.id;
    const b = fromGeminiResponse(body, 'g').choices[0]!.message.tool_calls![0]!.id;
    assert.notEqual(a, b);
  });

  test('a stream with two candidates keeps each on its own index with its own finish', async () => {
    const response = assemble(await collectChunks(mapGeminiStream(iterate(fixtureEvents('gemini-two-candidates.chunks.txt')), 'g')));
    assert.deepEqual(response.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason]), [[0, 'Roses are red.', 'stop'], [1, 'The sea is wide.', 'length']]);
    assert.equal(response.usage?.completion_tokens, 9);
  });
});

describe('gemini errors', () => {
  test('a 429 body gives its RetryInfo delay; a bad key is a 401', () => {
    assert.equal(parseGeminiError(fixtureJson('gemini-error-429.json'))?.retryAfterMs, 27_000);
    const key = parseGeminiError(fixtureJson('gemini-error-api-key.json'));
    assert.equal(key?.code, 'invalid_api_key');
    assert.equal(key?.status, 401);
    assert.equal(parseDuration('0.5s'), 500);
    assert.equal(parseDuration('soon'), undefined);
  });

  test('an error event mid-stream is mapped by its status name', async () => {
    await assert.rejects(collectChunks(mapGeminiStream(iterate(fixtureEvents('gemini-stream-error.chunks.txt')), 'g')), (error: unknown) => {
      assert.ok(error instanceof ArbiterError);
      assert.equal(error.code, 'upstream_unavailable');
      assert.equal(error.status, 503);
      assert.equal(error.retryable, true);
      return true;
    });
    const invalid = geminiStreamError({ code: 400, message: 'bad', status: 'INVALID_ARGUMENT' });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.retryable, false);
  });
});

describe('gemini request', () => {
  test('generationConfig carries every sampling field', () => {
    const body = toGeminiRequest(request({ temperature: 0.3, top_p: 0.9, max_tokens: 50, stop: ['END'], seed: 4, n: 2, presence_penalty: 0.5, frequency_penalty: -0.5, response_format: { type: 'json_object' } }));
    assert.deepEqual(body.generationConfig, { temperature: 0.3, topP: 0.9, maxOutputTokens: 50, stopSequences: ['END'], seed: 4, candidateCount: 2, presencePenalty: 0.5, frequencyPenalty: -0.5, responseMimeType: 'application/json' });
  });

  test('system and developer messages become systemInstruction', () => {
    const body = toGeminiRequest(request({ messages: [{ role: 'system', content: 'A' }, { role: 'developer', content: 'B' }, { role: 'user', content: 'q' }] }));
    assert.deepEqual(body.systemInstruction, { parts: [{ text: 'A\n\nB' }] });
    assert.deepEqual(body.contents, [{ role: 'user', parts: [{ text: 'q' }] }]);
  });

  const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }];
  for (const [choice, config] of [
    ['auto', { mode: 'AUTO' }], ['none', { mode: 'NONE' }], ['required', { mode: 'ANY' }],
    [{ type: 'function', function: { name: 'f' } }, { mode: 'ANY', allowedFunctionNames: ['f'] }],
  ] as const) {
    test(`tool_choice ${JSON.stringify(choice)} → ${JSON.stringify(config)}`, () => {
      assert.deepEqual(toGeminiRequest(request({ tools, tool_choice: choice })).toolConfig, { functionCallingConfig: config });
    });
  }

  test('media: data URLs inline, other URLs as fileData with a mime type', () => {
    const body = toGeminiRequest(request({ messages: [{ role: 'user', content: [
      { type: 'image_url', image_url: { url: 'data:image/webp;base64,UklGRg==' } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png?size=2' } },
      { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
    ] }] }));
    assert.deepEqual((body.contents as Contents)[0]!.parts, [
      { inlineData: { mimeType: 'image/webp', data: 'UklGRg==' } },
      { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/cat.png?size=2' } },
      { inlineData: { mimeType: 'audio/wav', data: 'AAAA' } },
    ]);
  });

  test('schemas: nullable unions, const, unsupported formats and keywords', () => {
    assert.deepEqual(toGeminiSchema({
      type: 'object', additionalProperties: false, $schema: 'x',
      properties: {
        a: { anyOf: [{ type: 'string', format: 'email' }, { type: 'null' }] },
        b: { const: 'fixed' },
        c: { type: 'string', format: 'date-time' },
        d: { type: 'integer', format: 'int64' },
      },
      required: ['a'],
    }), {
      type: 'object',
      properties: { a: { type: 'string', nullable: true }, b: { enum: ['fixed'], type: 'string' }, c: { type: 'string', format: 'date-time' }, d: { type: 'integer', format: 'int64' } },
      required: ['a'],
    });
  });
});

describe('gemini thinking from reasoning_effort', () => {
  test('each effort is a thinking budget; minimal turns thinking off; none leaves the model default', () => {
    const budget = (effort?: string) => ((toGeminiRequest(parseChatRequest({ model: 'g', messages: [{ role: 'user', content: 'hi' }], ...(effort ? { reasoning_effort: effort } : {}) })).generationConfig ?? {}) as { thinkingConfig?: { thinkingBudget: number } }).thinkingConfig?.thinkingBudget;
    assert.equal(budget('minimal'), 0);
    assert.equal(budget('low'), 2048);
    assert.equal(budget('high'), 24576);
    assert.equal(budget(), undefined);
  });
});
