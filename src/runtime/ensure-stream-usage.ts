/**
 * Every stream ends with a usage chunk: the provider's when it sent one (we always ask for
 * it), otherwise one counted from the streamed text, so cost and budgets never go blind. A
 * stream that fails after its first item (a cut, a malformed event, an in-band error) ends
 * with a StreamFailure carrying the same figure for what arrived: it is billed, not free.
 */
import type { ChatChunk, Usage } from '../core/chat-response.js';
import { ArbiterError } from '../core/errors.js';
import { HeldChunks, RawChunks, StreamFailure, chunksOf, type StreamItem } from '../core/stream-item.js';

function textOf(chunk: ChatChunk): string {
  let text = '';
  for (const choice of chunk.choices) {
    text += choice.delta.content ?? '';
    text += choice.delta.reasoning_content ?? '';
    for (const call of choice.delta.tool_calls ?? []) text += (call.function?.name ?? '') + (call.function?.arguments ?? '');
  }
  return text;
}

/**
 * A hand-written iterator rather than an async generator: it sits on every streamed chunk,
 * and a generator layer costs several promise steps per chunk where this costs one. A class
 * rather than an object literal: a literal with a computed symbol key is defined through
 * V8's slow runtime path on every stream (0.9% of a streaming profile).
 */
export function ensureStreamUsage(chunks: AsyncIterable<StreamItem>, fallback: (textOut: string) => Usage): AsyncIterable<StreamItem> {
  return new UsageEnsuredStream(chunks[Symbol.asyncIterator](), fallback);
}

class UsageEnsuredStream implements AsyncIterable<StreamItem>, AsyncIterator<StreamItem> {
  private sawUsage = false;
  private usage: Usage | undefined;
  // The text is only needed when no usage comes, which is known at the end: chunks are kept
  // unread, and folded into the text only past a bound (or at the end, if no usage came).
  private text = '';
  private readonly held = new HeldChunks((chunk) => { this.text += textOf(chunk); });
  private last: StreamItem | undefined;
  private finished = false;
  private readonly observe = (result: IteratorResult<StreamItem>): IteratorResult<StreamItem> => {
    if (result.done) {
      this.finished = true;
      if (this.sawUsage || !this.last) return result;
      this.held.release();
      const tail = chunksOf(this.last).at(-1)!;
      return { done: false, value: { id: tail.id, object: 'chat.completion.chunk', created: tail.created, model: tail.model, choices: [], usage: this.fallback(this.text) } };
    }
    const item = result.value;
    if (item instanceof StreamFailure) {
      this.finished = true;
      return result;
    }
    this.last = item;
    // RawChunks were passed on because they hold no usage object.
    if (!(item instanceof RawChunks) && item.usage) {
      this.sawUsage = true;
      this.usage = item.usage;
    }
    if (this.sawUsage) this.held.clear();
    else this.held.hold(item);
    return result;
  };

  /**
   * Before the first item the error goes on (attemptStream read that item, so this stage never
   * sees such a failure: the attempt fails and the chain may fall back). After it, the client
   * has bytes: the stream ends with the failure and the usage of what arrived.
   */
  private readonly fail = (error: unknown): IteratorResult<StreamItem> => {
    if (this.finished || !this.last) throw error;
    this.finished = true;
    const failure = error instanceof ArbiterError ? error : new ArbiterError('upstream_error', 'The upstream stream failed.', { cause: error });
    return { done: false, value: new StreamFailure(failure, this.billed()) };
  };

  constructor(private readonly inner: AsyncIterator<StreamItem>, private readonly fallback: (textOut: string) => Usage) {}

  [Symbol.asyncIterator](): AsyncIterator<StreamItem> {
    return this;
  }

  next(): Promise<IteratorResult<StreamItem>> {
    return this.finished ? Promise.resolve({ done: true, value: undefined }) : this.inner.next().then(this.observe, this.fail);
  }

  /** The provider's usage if it came, else the count of the text that arrived. */
  private billed(): Usage {
    if (this.usage && typeof this.usage === 'object') return this.usage;
    try {
      this.held.release();
    } catch {
      // A held chunk that does not parse adds no text.
    }
    return this.fallback(this.text);
  }

  return(value?: unknown): Promise<IteratorResult<StreamItem>> {
    this.finished = true;
    return this.inner.return ? this.inner.return(value) : Promise.resolve({ done: true, value: undefined });
  }
}
