import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArbiterError } from '../core/errors.js';
import type { ChatChunk } from '../core/chat-response.js';
import type { Deployment, ProviderAdapter } from '../core/provider.js';
import { executeChain } from '../router/execute-chain.js';
import { attemptStream, type AttemptDeps } from './attempt.js';
import { chunksOf, type StreamItem } from '../core/stream-item.js';

function deployment(name: string): Deployment {
  return { name, model: 'm', provider: 'openai', upstreamModel: 'm', baseUrl: 'http://x', timeouts: { connectMs: 1, firstByteMs: 1, totalMs: 1 } };
}

const chunk = (content: string): ChatChunk => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] });

/** Upstream behaviour per deployment: the stream is accepted (2xx), then this happens. */
const behaviour: Record<string, () => AsyncIterable<ChatChunk>> = {
  // Dies before its first chunk, e.g. the connection resets right after the headers.
  'cut-before': () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new ArbiterError('upstream_error', 'socket hang up')) }) }),
  // Accepted, then ends without a single event.
  'empty': () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true as const, value: undefined }) }) }),
  'good': async function* () { yield chunk('hel'); yield chunk('lo'); },
};

const deps: AttemptDeps = {
  adapterFor: () => ({
    kind: 'openai',
    chat: () => { throw new Error('unused'); },
    chatStream: async (d) => behaviour[d.name]!(),
  }) satisfies ProviderAdapter,
  callOptions: () => ({}) as ReturnType<AttemptDeps['callOptions']>,
};

async function collect(stream: AsyncIterable<StreamItem>): Promise<string> {
  let text = '';
  for await (const c of stream) for (const chunk of chunksOf(c)) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

for (const failing of ['cut-before', 'empty']) {
  test(`a stream that fails before its first byte (${failing}) falls back transparently`, async () => {
    const result = await executeChain({
      chain: [deployment(failing), deployment('good')],
      policy: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      attempt: (d, signal) => attemptStream(deps, d, { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }, signal),
    });
    assert.equal(result.deployment.name, 'good');
    assert.equal(result.fallbacks, 1);
    assert.deepEqual(result.attempts.map((a) => [a.deployment, a.ok]), [[failing, false], ['good', true]]);
    // The client sees the good stream from its first chunk, nothing of the failed one.
    assert.equal(await collect(result.value), 'hello');
  });
}
