/**
 * One attempt against one deployment: the adapter call plus what the router and the audit
 * need to know about it (latency, cost). Retries and fallbacks live in the router.
 */
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatResponse } from '../core/chat-response.js';
import type { StreamItem } from '../core/stream-item.js';
import type { Deployment, ProviderAdapter, ProviderCallOptions } from '../core/provider.js';
import { ArbiterError } from '../core/errors.js';
import type { CancelSignal } from '../core/cancel-signal.js';

export interface AttemptDeps {
  adapterFor(deployment: Deployment): ProviderAdapter;
  callOptions(deployment: Deployment, signal: CancelSignal | undefined, headers: Record<string, string> | undefined, requestId: string | undefined): ProviderCallOptions;
}

export async function attemptChat(deps: AttemptDeps, deployment: Deployment, request: ChatRequest, signal?: CancelSignal, headers?: Record<string, string>, requestId?: string): Promise<ChatResponse> {
  return deps.adapterFor(deployment).chat(deployment, request, deps.callOptions(deployment, signal, headers, requestId));
}

/**
 * Starts a stream and waits for its first chunk, so a stream that dies before its first byte
 * counts as a failed attempt (and can fall back) instead of a broken response to the client.
 */
export async function attemptStream(deps: AttemptDeps, deployment: Deployment, request: ChatRequest, signal?: CancelSignal, headers?: Record<string, string>, requestId?: string): Promise<AsyncIterable<StreamItem>> {
  const iterable = await deps.adapterFor(deployment).chatStream(deployment, request, deps.callOptions(deployment, signal, headers, requestId));
  const iterator = iterable[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new ArbiterError('upstream_error', `Deployment ${deployment.name} ended the stream before sending anything.`, { retryable: true });
  return new PrefetchedStream(first, iterator);
}

/**
 * The stream with its first chunk already read. A class: an object literal with a computed
 * symbol key is defined through V8's slow runtime path, and built a new hidden class, on
 * every stream.
 */
class PrefetchedStream implements AsyncIterable<StreamItem>, AsyncIterator<StreamItem> {
  constructor(private pending: IteratorResult<StreamItem> | undefined, private readonly iterator: AsyncIterator<StreamItem>) {}

  [Symbol.asyncIterator](): AsyncIterator<StreamItem> {
    return this;
  }

  next(): Promise<IteratorResult<StreamItem>> {
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      return Promise.resolve(pending);
    }
    return this.iterator.next();
  }

  return(value?: unknown): Promise<IteratorResult<StreamItem>> {
    return this.iterator.return ? this.iterator.return(value) : Promise.resolve({ done: true, value: undefined });
  }
}
