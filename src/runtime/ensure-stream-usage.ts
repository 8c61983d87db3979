/**
 * Every stream ends with a usage chunk: the provider's when it sent one (we always ask for
 * it), otherwise one counted from the streamed text, so cost and budgets never go blind.
 */
import type { ChatChunk, Usage } from '../core/chat-response.js';
import { HeldChunks, RawChunks, chunksOf, type StreamItem } from '../core/stream-item.js';

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
 * and a generator layer costs several promise steps per chunk where this costs one.
 */
export function ensureStreamUsage(chunks: AsyncIterable<StreamItem>, fallback: (textOut: string) => Usage): AsyncIterable<StreamItem> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<StreamItem> {
      const inner = chunks[Symbol.asyncIterator]();
      let sawUsage = false;
      // The text is only needed when no usage comes, which is known at the end: chunks are kept
      // unread, and folded into the text only past a bound (or at the end, if no usage came).
      let text = '';
      const held = new HeldChunks((chunk) => { text += textOf(chunk); });
      let last: StreamItem | undefined;
      let finished = false;
      const observe = (result: IteratorResult<StreamItem>): IteratorResult<StreamItem> => {
        if (result.done) {
          finished = true;
          if (sawUsage || !last) return result;
          held.release();
          const tail = chunksOf(last).at(-1)!;
          return { done: false, value: { id: tail.id, object: 'chat.completion.chunk', created: tail.created, model: tail.model, choices: [], usage: fallback(text) } };
        }
        const item = result.value;
        last = item;
        // RawChunks were passed on because they hold no usage object.
        if (!(item instanceof RawChunks) && item.usage) sawUsage = true;
        if (sawUsage) held.clear();
        else held.hold(item);
        return result;
      };
      return {
        next: () => finished ? Promise.resolve({ done: true, value: undefined }) : inner.next().then(observe),
        return: (value?: unknown) => {
          finished = true;
          return inner.return ? inner.return(value) : Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
}
