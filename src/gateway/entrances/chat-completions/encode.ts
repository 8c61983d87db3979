/**
 * The chat completions entrance's encoder: the canonical response and chunks are already
 * OpenAI's wire, so a response leaves as the upstream's own text where nothing changed it,
 * with its cost added, and stream chunks as they came.
 */
import type { ChatChunk, ChatResponse } from '../../../core/chat-response.js';
import type { ArbiterError } from '../../../core/errors.js';
import { nanoToUsd, type NanoUsd } from '../../../core/money.js';
import { RawChunks, type StreamItem } from '../../../core/stream-item.js';
import { appendToMemberObject } from '../../../core/json-member.js';
import { rememberWireText, wireTextOf } from '../../../core/wire-text.js';
import type { ChatEncoder, StreamEncoder } from '../../chat-entrance.js';
import type { SseWriter } from '../../sse-writer.js';

/**
 * The response as it leaves, its cost in `usage.cost_usd`. One that nothing changed since the
 * upstream sent it leaves as the upstream's own text with that member added: encoding the
 * parsed object again was ~5 µs a request in an on-CPU profile at saturation. The cost is
 * set on the object itself, not on a copy (the cache and the audit keep what the client got):
 * a spread copy with one more member built a new hidden class on every request.
 */
export function chatResponseText(response: ChatResponse, costNano: NanoUsd | null): string {
  const usage = response.usage;
  const wire = wireTextOf(response);
  // A usage that is not an object (a broken upstream) gets no cost, as a copy would not have.
  if (!usage || typeof usage !== 'object' || costNano === null) return wire ?? JSON.stringify(response);
  const upstreamSentCost = usage.cost_usd !== undefined;
  const costUsd = nanoToUsd(costNano);
  usage.cost_usd = costUsd;
  if (wire === undefined) return JSON.stringify(response);
  const text = (!upstreamSentCost && appendToMemberObject(wire, 'usage', `"cost_usd":${JSON.stringify(costUsd)}`)) || JSON.stringify(response);
  // The text kept on the object stays the one that matches it.
  rememberWireText(response, text);
  return text;
}

class ChatStreamEncoder implements StreamEncoder {
  constructor(private readonly writer: SseWriter, private readonly wantsUsage: boolean) {}

  write(item: StreamItem, untouched: boolean): Promise<void> | undefined {
    if (item instanceof RawChunks) return this.writer.sendFramed(item.framed());
    return this.writer.send(item, untouched ? wireTextOf(item) : undefined);
  }

  /** Usage goes out only when asked for (`stream_options.include_usage`), with its cost; choices riding on it always. */
  usage(chunk: ChatChunk, costNano: NanoUsd | null): Promise<void> | undefined {
    if (this.wantsUsage) {
      const usage = chunk.usage;
      if (costNano !== null && usage && typeof usage === 'object') usage.cost_usd = nanoToUsd(costNano);
      return this.writer.send(chunk);
    }
    if (chunk.choices.length === 0) return undefined;
    chunk.usage = undefined;
    return this.writer.send(chunk);
  }

  end(): void {
    this.writer.end();
  }

  fail(error: ArbiterError): void {
    this.writer.fail(error);
  }
}

export function chatCompletionsEncoder(wantsUsage: boolean): ChatEncoder {
  return {
    responseText: chatResponseText,
    openStream: (writer) => new ChatStreamEncoder(writer, wantsUsage),
  };
}

/** The two encoders every chat request uses, made once: most requests do not ask for streamed usage. */
export const chatEncoders = { withUsage: chatCompletionsEncoder(true), withoutUsage: chatCompletionsEncoder(false) };
