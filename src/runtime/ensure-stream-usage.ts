/**
 * Every stream ends with a usage chunk: the provider's when it sent one (we always ask for
 * it), otherwise one counted from the streamed text, so cost and budgets never go blind.
 */
import type { ChatChunk, Usage } from '../core/chat-response.js';
import { MAX_DEFERRED_CHUNKS, RawChunk, chunkOf, type StreamItem } from '../core/stream-item.js';

function textOf(chunk: ChatChunk): string {
  let text = '';
  for (const choice of chunk.choices) {
    text += choice.delta.content ?? '';
    text += choice.delta.reasoning_content ?? '';
    for (const call of choice.delta.tool_calls ?? []) text += (call.function?.name ?? '') + (call.function?.arguments ?? '');
  }
  return text;
}

export async function* ensureStreamUsage(chunks: AsyncIterable<StreamItem>, fallback: (textOut: string) => Usage): AsyncIterable<StreamItem> {
  let sawUsage = false;
  // The text is only needed when no usage comes, which is known at the end: chunks are kept
  // unread, and folded into the text only past a bound (or at the end, if no usage came).
  let seen: StreamItem[] = [];
  let text = '';
  let last: StreamItem | undefined;
  const fold = () => {
    for (const item of seen) text += textOf(chunkOf(item));
    seen = [];
  };
  for await (const item of chunks) {
    last = item;
    // A RawChunk was passed on because it has no usage object.
    if (!(item instanceof RawChunk) && item.usage) sawUsage = true;
    if (!sawUsage) {
      seen.push(item);
      if (seen.length > MAX_DEFERRED_CHUNKS) fold();
    } else if (seen.length > 0) {
      seen = [];
    }
    yield item;
  }
  if (!sawUsage && last) {
    fold();
    const tail = chunkOf(last);
    yield { id: tail.id, object: 'chat.completion.chunk', created: tail.created, model: tail.model, choices: [], usage: fallback(text) };
  }
}
