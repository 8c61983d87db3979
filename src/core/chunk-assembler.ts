/**
 * Rebuilds a whole `chat.completion` from canonical stream chunks: for the audit trail, the
 * response cache, and callers that stream only to measure time to first token.
 */
import type { ChatChunk, ChatChoice, ChatResponse, FinishReason, ReasoningDetail, ToolCall, ToolCallExtra, Usage } from './chat-response.js';
import { HeldChunks, RawChunks, StreamFailure, type StreamItem } from './stream-item.js';

interface ChoiceState {
  content: string;
  reasoning: string;
  refusal: string;
  finish: FinishReason | null;
  nativeFinish?: string;
  tools: Map<number, { id: string; name: string; arguments: string; extra?: ToolCallExtra }>;
  /** Reasoning blocks by index, their pieces joined (a signature arrives whole after the text). */
  details?: Map<number, ReasoningDetail>;
}

/** Adds one streamed piece of a reasoning block to the block of its index. */
function addDetail(state: ChoiceState, piece: ReasoningDetail): void {
  const details = (state.details ??= new Map());
  const index = typeof piece.index === 'number' ? piece.index : details.size;
  const held = details.get(index);
  if (!held || held.type !== piece.type) {
    details.set(index, { ...piece, index });
    return;
  }
  if (!held.format && piece.format) held.format = piece.format;
  if (held.type === 'reasoning.text' && piece.type === 'reasoning.text') {
    if (piece.text) held.text = (held.text ?? '') + piece.text;
    if (piece.signature) held.signature = (held.signature ?? '') + piece.signature;
  } else if (held.type === 'reasoning.encrypted' && piece.type === 'reasoning.encrypted' && piece.data) {
    held.data += piece.data;
  }
}

export class ChunkAssembler {
  private id = '';
  private model = '';
  private created = 0;
  private readonly choices = new Map<number, ChoiceState>();
  private usage: Usage | undefined;
  /** Chunks not applied yet: from the first unparsed one on, in order, until a response is asked for. */
  private readonly held = new HeldChunks((chunk) => this.apply(chunk));

  add(item: StreamItem): void {
    // A failed stream has no whole response; the caller decides what its failure means.
    if (item instanceof StreamFailure) return;
    if (item instanceof RawChunks || !this.held.empty) this.held.hold(item);
    else this.apply(item);
  }

  private apply(chunk: ChatChunk): void {
    this.id ||= chunk.id;
    this.model ||= chunk.model;
    this.created ||= chunk.created;
    for (const choice of chunk.choices) {
      let state = this.choices.get(choice.index);
      if (!state) {
        state = { content: '', reasoning: '', refusal: '', finish: null, tools: new Map() };
        this.choices.set(choice.index, state);
      }
      if (choice.delta.content) state.content += choice.delta.content;
      if (choice.delta.reasoning_content) state.reasoning += choice.delta.reasoning_content;
      if (choice.delta.refusal) state.refusal += choice.delta.refusal;
      const details = choice.delta.reasoning_details;
      if (Array.isArray(details)) for (const piece of details) addDetail(state, piece);
      for (const call of choice.delta.tool_calls ?? []) {
        const tool = state.tools.get(call.index) ?? { id: '', name: '', arguments: '' };
        if (call.id) tool.id = call.id;
        if (call.function?.name) tool.name += call.function.name;
        if (call.function?.arguments) tool.arguments += call.function.arguments;
        if (call.extra_content) tool.extra = call.extra_content;
        state.tools.set(call.index, tool);
      }
      if (choice.finish_reason) state.finish = choice.finish_reason;
      if (choice.native_finish_reason) state.nativeFinish = choice.native_finish_reason;
    }
    if (chunk.usage) this.usage = chunk.usage;
  }

  toResponse(usage?: Usage): ChatResponse {
    this.held.release();
    usage ??= this.usage;
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: [...this.choices.entries()].map(([index, state]) => toChoice(index, state)),
      ...(usage ? { usage } : {}),
    };
  }
}

function toChoice(index: number, state: ChoiceState): ChatChoice {
  const calls: ToolCall[] = [...state.tools.values()].map((tool) => ({
    id: tool.id, type: 'function', function: { name: tool.name, arguments: tool.arguments }, ...(tool.extra ? { extra_content: tool.extra } : {}),
  }));
  return {
    index,
    message: {
      role: 'assistant',
      content: state.content === '' && (calls.length > 0 || state.refusal) ? null : state.content,
      ...(state.refusal ? { refusal: state.refusal } : {}),
      ...(state.reasoning ? { reasoning_content: state.reasoning } : {}),
      ...(state.details ? { reasoning_details: [...state.details.values()].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)) } : {}),
      ...(calls.length > 0 ? { tool_calls: calls } : {}),
    },
    finish_reason: state.finish ?? 'stop',
    ...(state.nativeFinish ? { native_finish_reason: state.nativeFinish } : {}),
    logprobs: null,
  };
}
