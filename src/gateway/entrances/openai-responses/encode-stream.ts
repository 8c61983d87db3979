/**
 * Canonical stream chunks → Responses API stream events: response.created and
 * response.in_progress, then per output item output_item.added, its content_part /
 * output_text or function_call_arguments deltas and their .done events, output_item.done,
 * and response.completed (or response.incomplete) with the whole response and its usage. A
 * failure after the first byte is an `error` event followed by response.failed. Every event
 * has its `event:` line and a sequence_number.
 * https://platform.openai.com/docs/api-reference/responses-streaming
 */
import type { AssistantMessage, ChatChunk, FinishReason, ToolCall, Usage } from '../../../core/chat-response.js';
import type { ArbiterError } from '../../../core/errors.js';
import type { NanoUsd } from '../../../core/money.js';
import { redactSecrets } from '../../../telemetry/logger.js';
import { chunksOf, type StreamItem } from '../../../core/stream-item.js';
import type { StreamEncoder } from '../../chat-entrance.js';
import type { SseWriter } from '../../sse-writer.js';

/** What the encoder writes through: the SSE writer, or anything that collects its events. */
export type EventSink = Pick<SseWriter, 'sendFramed' | 'endWith'>;
import {
  functionCallItem, messageItem, newItemId, reasoningItem, responseObject, statusOf,
  type ResponseEcho,
} from './encode-response.js';

type Item = Record<string, unknown>;

interface OpenText { index: number; id: string; text: string }
interface OpenCall { index: number; id: string; callId: string; name: string; args: string }

/** Called with the finished answer before response.completed goes out (the store keeps it for previous_response_id). */
export type OnComplete = (message: AssistantMessage, response: Record<string, unknown>) => Promise<void> | void;

export class ResponsesStreamEncoder implements StreamEncoder {
  private sequence = 0;
  private started = false;
  private model = '';
  /** Output items by output_index; open ones are filled in when they close. */
  private readonly output: Item[] = [];
  private reasoning: OpenText | undefined;
  private message: OpenText | undefined;
  private readonly calls = new Map<number, OpenCall>();
  private finish: FinishReason | null = null;
  private usageSeen: Usage | undefined;
  private out = '';
  /** Everything said, for the stored conversation. */
  private allText = '';
  private allReasoning = '';

  constructor(private readonly writer: EventSink, private readonly echo: ResponseEcho, private readonly onComplete?: OnComplete) {}

  write(item: StreamItem): Promise<void> | undefined {
    for (const chunk of chunksOf(item)) this.take(chunk);
    return this.flush();
  }

  usage(chunk: ChatChunk, _costNano: NanoUsd | null): Promise<void> | undefined {
    this.take(chunk);
    if (chunk.usage) this.usageSeen = chunk.usage;
    return this.flush();
  }

  async end(): Promise<void> {
    if (!this.started) this.start(undefined);
    this.closeReasoning();
    this.closeMessage();
    const calls: ToolCall[] = [];
    for (const [, call] of [...this.calls.entries()].sort(([a], [b]) => a - b)) {
      this.closeCall(call);
      calls.push({ id: call.callId, type: 'function', function: { name: call.name, arguments: call.args } });
    }
    const { status, incomplete_details } = statusOf(this.finish);
    const response = responseObject(this.echo, { status, incomplete_details, output: this.output, usage: this.usageSeen, model: this.model });
    if (this.onComplete) {
      const message: AssistantMessage = {
        role: 'assistant',
        content: this.allText === '' && calls.length > 0 ? null : this.allText,
        ...(calls.length > 0 ? { tool_calls: calls } : {}),
        ...(this.allReasoning ? { reasoning_content: this.allReasoning } : {}),
      };
      await this.onComplete(message, response);
    }
    this.event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
    const text = this.out;
    this.out = '';
    this.writer.endWith(text);
  }

  fail(error: ArbiterError): void {
    const message = redactSecrets(error.message);
    this.event('error', { code: error.code, message, param: error.param });
    this.event('response.failed', {
      response: responseObject(this.echo, { status: 'failed', output: this.output, usage: this.usageSeen, model: this.model, error: { code: error.status === 429 ? 'rate_limit_exceeded' : 'server_error', message } }),
    });
    const text = this.out;
    this.out = '';
    this.writer.endWith(text);
  }

  private event(type: string, data: Record<string, unknown>): void {
    this.out += `event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: this.sequence++ })}\n\n`;
  }

  private flush(): Promise<void> | undefined {
    if (this.out === '') return undefined;
    const text = this.out;
    this.out = '';
    return this.writer.sendFramed(text);
  }

  private start(chunk: ChatChunk | undefined): void {
    this.started = true;
    this.model = chunk?.model ?? '';
    const response = JSON.stringify(responseObject(this.echo, { status: 'in_progress', output: [], usage: null, model: this.model }));
    // One encoding of the in-progress response for both events.
    for (const type of ['response.created', 'response.in_progress']) this.out += `event: ${type}\ndata: {"type":"${type}","response":${response},"sequence_number":${this.sequence++}}\n\n`;
  }

  private add(item: Item): number {
    const index = this.output.length;
    this.output.push(item);
    this.event('response.output_item.added', { output_index: index, item });
    return index;
  }

  private done(index: number, item: Item): void {
    this.output[index] = item;
    this.event('response.output_item.done', { output_index: index, item });
  }

  /** Reasoning goes out as one summary item when it ends: its text is the provider's, not a summary OpenAI made. */
  private closeReasoning(): void {
    const open = this.reasoning;
    if (!open) return;
    this.reasoning = undefined;
    this.done(open.index, reasoningItem(open.id, open.text));
  }

  private closeMessage(): void {
    const open = this.message;
    if (!open) return;
    this.message = undefined;
    const part = { type: 'output_text', text: open.text, annotations: [], logprobs: [] };
    this.event('response.output_text.done', { item_id: open.id, output_index: open.index, content_index: 0, text: open.text, logprobs: [] });
    this.event('response.content_part.done', { item_id: open.id, output_index: open.index, content_index: 0, part });
    this.done(open.index, messageItem(open.id, open.text, '', 'completed'));
  }

  private closeCall(call: OpenCall): void {
    this.event('response.function_call_arguments.done', { item_id: call.id, output_index: call.index, name: call.name, arguments: call.args });
    this.done(call.index, functionCallItem(call.id, call.callId, call.name, call.args, 'completed'));
  }

  private take(chunk: ChatChunk): void {
    if (!this.started) this.start(chunk);
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) return;
    const delta = choice.delta;
    if (delta.reasoning_content) {
      this.allReasoning += delta.reasoning_content;
      if (!this.reasoning) {
        const id = newItemId('rs');
        this.reasoning = { index: this.add({ type: 'reasoning', id, summary: [] }), id, text: '' };
      }
      this.reasoning.text += delta.reasoning_content;
    }
    const text = (delta.content ?? '') + (delta.refusal ?? '');
    if (text !== '') {
      this.closeReasoning();
      this.allText += text;
      if (!this.message) {
        const id = newItemId('msg');
        const index = this.add({ type: 'message', id, status: 'in_progress', role: 'assistant', content: [] });
        this.message = { index, id, text: '' };
        this.event('response.content_part.added', { item_id: id, output_index: index, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
      }
      this.message.text += text;
      // The event of nearly every chunk: written as text, not through an object spread and a stringify.
      this.out += `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"${this.message.id}","output_index":${this.message.index},"content_index":0,"delta":${JSON.stringify(text)},"logprobs":[],"sequence_number":${this.sequence++}}\n\n`;
    }
    for (const call of delta.tool_calls ?? []) {
      let open = this.calls.get(call.index);
      if (!open) {
        this.closeReasoning();
        this.closeMessage();
        const id = newItemId('fc');
        const callId = call.id ?? `call_${call.index}`;
        const name = call.function?.name ?? '';
        open = { index: this.add(functionCallItem(id, callId, name, '', 'in_progress')), id, callId, name, args: '' };
        this.calls.set(call.index, open);
      } else if (call.function?.name) {
        open.name += call.function.name;
      }
      const args = call.function?.arguments;
      if (args) {
        open.args += args;
        this.event('response.function_call_arguments.delta', { item_id: open.id, output_index: open.index, delta: args });
      }
    }
    if (choice.finish_reason) this.finish = choice.finish_reason;
  }
}
