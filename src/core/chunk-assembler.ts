/**
 * Rebuilds a whole `chat.completion` from canonical stream chunks: for the audit trail, the
 * response cache, and callers that stream only to measure time to first token.
 */
import type { ChatChunk, ChatResponse, FinishReason, Usage } from './chat-response.js';

interface ChoiceState {
  content: string;
  reasoning: string;
  finish: FinishReason | null;
  tools: Map<number, { id: string; name: string; arguments: string }>;
}

export class ChunkAssembler {
  private id = '';
  private model = '';
  private created = 0;
  private readonly choices = new Map<number, ChoiceState>();
  private usage: Usage | undefined;

  add(chunk: ChatChunk): void {
    this.id ||= chunk.id;
    this.model ||= chunk.model;
    this.created ||= chunk.created;
    for (const choice of chunk.choices) {
      let state = this.choices.get(choice.index);
      if (!state) {
        state = { content: '', reasoning: '', finish: null, tools: new Map() };
        this.choices.set(choice.index, state);
      }
      if (choice.delta.content) state.content += choice.delta.content;
      if (choice.delta.reasoning_content) state.reasoning += choice.delta.reasoning_content;
      for (const call of choice.delta.tool_calls ?? []) {
        const tool = state.tools.get(call.index) ?? { id: '', name: '', arguments: '' };
        if (call.id) tool.id = call.id;
        if (call.function?.name) tool.name += call.function.name;
        if (call.function?.arguments) tool.arguments += call.function.arguments;
        state.tools.set(call.index, tool);
      }
      if (choice.finish_reason) state.finish = choice.finish_reason;
    }
    if (chunk.usage) this.usage = chunk.usage;
  }

  toResponse(usage: Usage | undefined = this.usage): ChatResponse {
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: [...this.choices.entries()].map(([index, state]) => ({
        index,
        message: {
          role: 'assistant',
          content: state.content === '' && state.tools.size > 0 ? null : state.content,
          ...(state.reasoning ? { reasoning_content: state.reasoning } : {}),
          ...(state.tools.size > 0 ? { tool_calls: [...state.tools.values()].map((tool) => ({ id: tool.id, type: 'function' as const, function: { name: tool.name, arguments: tool.arguments } })) } : {}),
        },
        finish_reason: state.finish ?? 'stop',
        logprobs: null,
      })),
      ...(usage ? { usage } : {}),
    };
  }
}
