/**
 * Every stream ends with a usage chunk: the provider's when it sent one (we always ask for
 * it), otherwise one counted from the streamed text, so cost and budgets never go blind.
 */
import type { ChatChunk } from '../core/chat-response.js';
import type { Usage } from '../core/chat-response.js';

export async function* ensureStreamUsage(chunks: AsyncIterable<ChatChunk>, fallback: (textOut: string) => Usage): AsyncIterable<ChatChunk> {
  let sawUsage = false;
  let text = '';
  let last: ChatChunk | undefined;
  for await (const chunk of chunks) {
    last = chunk;
    if (chunk.usage) sawUsage = true;
    for (const choice of chunk.choices) {
      text += choice.delta.content ?? '';
      text += choice.delta.reasoning_content ?? '';
      for (const call of choice.delta.tool_calls ?? []) text += (call.function?.name ?? '') + (call.function?.arguments ?? '');
    }
    yield chunk;
  }
  if (!sawUsage && last) {
    yield { id: last.id, object: 'chat.completion.chunk', created: last.created, model: last.model, choices: [], usage: fallback(text) };
  }
}
