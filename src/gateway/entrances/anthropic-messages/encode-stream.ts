/**
 * Canonical stream chunks → Anthropic's stream events, in the documented order:
 * message_start, ping, then per block content_block_start / content_block_delta... /
 * content_block_stop, then message_delta (stop reason, usage) and message_stop. A failure
 * after the first byte is an `error` event. Each event has its `event:` line: the anthropic
 * SDK skips events without one.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
import type { ChatChunk, FinishReason, Usage } from '../../../core/chat-response.js';
import type { ArbiterError } from '../../../core/errors.js';
import type { NanoUsd } from '../../../core/money.js';
import { chunksOf, type StreamItem } from '../../../core/stream-item.js';
import type { StreamEncoder } from '../../chat-entrance.js';
import type { SseWriter } from '../../sse-writer.js';

/** What the encoder writes through: the SSE writer, or anything that collects its events. */
export type EventSink = Pick<SseWriter, 'sendFramed' | 'endWith'>;
import { anthropicErrorBody } from './errors.js';
import { messageId, toAnthropicUsage, toStopReason } from './encode-response.js';

type BlockKind = 'text' | 'thinking' | 'tool_use';

function frame(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

export class AnthropicStreamEncoder implements StreamEncoder {
  private started = false;
  /** The open block: its index on the wire and kind. */
  private open: { index: number; kind: BlockKind } | undefined;
  private nextIndex = 0;
  /**
   * Tool calls by canonical index, sent as blocks when the answer ends: Anthropic's wire
   * streams one block at a time, and an upstream may interleave the arguments of parallel
   * calls (or send text after them), which no order of blocks could carry as they came.
   */
  private readonly tools = new Map<number, { id: string; name: string; args: string }>();
  private finish: FinishReason | null = null;
  private nativeFinish: string | undefined;
  private lastUsage: Usage | undefined;
  private out = '';

  constructor(private readonly writer: EventSink) {}

  write(item: StreamItem): Promise<void> | undefined {
    for (const chunk of chunksOf(item)) this.take(chunk);
    return this.flush();
  }

  usage(chunk: ChatChunk, _costNano: NanoUsd | null): Promise<void> | undefined {
    this.take(chunk);
    if (chunk.usage) this.lastUsage = chunk.usage;
    return this.flush();
  }

  end(): void {
    if (!this.started) this.startMessage(undefined);
    this.closeBlock();
    for (const [, tool] of [...this.tools.entries()].sort(([a], [b]) => a - b)) {
      const index = this.openBlock('tool_use', { type: 'tool_use', id: tool.id, name: tool.name, input: {} });
      if (tool.args !== '') this.delta(index, { type: 'input_json_delta', partial_json: tool.args });
      this.closeBlock();
    }
    this.out += frame('message_delta', {
      delta: { stop_reason: toStopReason(this.finish, this.nativeFinish), stop_sequence: null },
      usage: toAnthropicUsage(this.lastUsage),
    });
    this.out += frame('message_stop', {});
    const text = this.out;
    this.out = '';
    this.writer.endWith(text);
  }

  fail(error: ArbiterError): void {
    const text = this.out + frame('error', { error: anthropicErrorBody(error).error });
    this.out = '';
    this.writer.endWith(text);
  }

  private flush(): Promise<void> | undefined {
    if (this.out === '') return undefined;
    const text = this.out;
    this.out = '';
    return this.writer.sendFramed(text);
  }

  private startMessage(chunk: ChatChunk | undefined): void {
    this.started = true;
    // Input counts are known only at the end (they come with the usage chunk): message_delta
    // carries them, and the SDK overwrites what message_start said.
    this.out += frame('message_start', {
      message: {
        id: messageId(chunk?.id ?? ''), type: 'message', role: 'assistant', model: chunk?.model ?? '', content: [],
        stop_reason: null, stop_sequence: null, usage: toAnthropicUsage(undefined),
      },
    });
    this.out += frame('ping', {});
  }

  private openBlock(kind: BlockKind, block: Record<string, unknown>): number {
    this.closeBlock();
    const index = this.nextIndex++;
    this.open = { index, kind };
    this.out += frame('content_block_start', { index, content_block: block });
    return index;
  }

  private closeBlock(): void {
    if (!this.open) return;
    this.out += frame('content_block_stop', { index: this.open.index });
    this.open = undefined;
  }

  private delta(index: number, delta: Record<string, unknown>): void {
    this.out += frame('content_block_delta', { index, delta });
  }

  private take(chunk: ChatChunk): void {
    if (!this.started) this.startMessage(chunk);
    // One answer per Messages call: only the first choice is this message.
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) return;
    const delta = choice.delta;
    if (delta.reasoning_content) {
      const index = this.open?.kind === 'thinking' ? this.open.index : this.openBlock('thinking', { type: 'thinking', thinking: '', signature: '' });
      this.delta(index, { type: 'thinking_delta', thinking: delta.reasoning_content });
    }
    const text = (delta.content ?? '') + (delta.refusal ?? '');
    if (text !== '') {
      const index = this.open?.kind === 'text' ? this.open.index : this.openBlock('text', { type: 'text', text: '', citations: null });
      // The event of nearly every chunk: written as text, not through an object spread and a stringify.
      this.out += `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}\n\n`;
    }
    for (const call of delta.tool_calls ?? []) {
      let tool = this.tools.get(call.index);
      if (!tool) this.tools.set(call.index, tool = { id: call.id ?? `toolu_${call.index}`, name: '', args: '' });
      if (call.id) tool.id = call.id;
      if (call.function?.name) tool.name += call.function.name;
      if (call.function?.arguments) tool.args += call.function.arguments;
    }
    if (choice.finish_reason) this.finish = choice.finish_reason;
    if (choice.native_finish_reason) this.nativeFinish = choice.native_finish_reason;
  }
}
