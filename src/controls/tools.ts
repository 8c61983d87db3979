/**
 * Tool permissions per key: disallowed tools are stripped from requests, and tool calls the
 * model makes anyway are replaced by a refusal in responses and streams.
 */
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatChunk, ChatResponse, ChunkChoice, ChunkToolCall, ToolCall } from '../core/chat-response.js';
import { StreamFailure, chunksOf, type StreamItem } from '../core/stream-item.js';

export function isToolAllowed(name: string, allowed: readonly string[] | null): boolean {
  return allowed === null || allowed.includes(name);
}

export function refusalText(names: readonly string[]): string {
  return `[arbiter] blocked tool call${names.length > 1 ? 's' : ''} ${names.map((name) => `'${name}'`).join(', ')}: not allowed for this API key.`;
}

/** Removes disallowed tools; fixes tool_choice when it named one or nothing is left. */
export function stripTools(request: ChatRequest, allowed: readonly string[] | null): { request: ChatRequest; stripped: string[] } {
  if (allowed === null || !request.tools) return { request, stripped: [] };
  const kept = request.tools.filter((tool) => allowed.includes(tool.function.name));
  const stripped = request.tools.filter((tool) => !allowed.includes(tool.function.name)).map((tool) => tool.function.name);
  if (stripped.length === 0) return { request, stripped };
  const next: ChatRequest = { ...request };
  if (kept.length === 0) {
    delete next.tools;
    delete next.tool_choice;
    delete next.parallel_tool_calls;
  } else {
    next.tools = kept;
    const choice = request.tool_choice;
    if (choice && typeof choice === 'object' && !allowed.includes(choice.function.name)) next.tool_choice = 'auto';
  }
  return { request: next, stripped };
}

/** Replaces disallowed tool calls by refusal content; returns the names it blocked. */
export function enforceToolCalls(response: ChatResponse, allowed: readonly string[] | null): { response: ChatResponse; blocked: string[] } {
  if (allowed === null) return { response, blocked: [] };
  const blocked: string[] = [];
  let changed = false;
  const choices = response.choices.map((choice) => {
    const calls = choice.message.tool_calls;
    if (!calls || calls.length === 0) return choice;
    const kept: ToolCall[] = [];
    const refused: string[] = [];
    for (const call of calls) {
      if (isToolAllowed(call.function.name, allowed)) kept.push(call);
      else refused.push(call.function.name);
    }
    if (refused.length === 0) return choice;
    changed = true;
    blocked.push(...refused);
    const note = refusalText(refused);
    const content = choice.message.content ? `${choice.message.content}\n${note}` : note;
    const message = { ...choice.message, content };
    if (kept.length > 0) message.tool_calls = kept;
    else delete message.tool_calls;
    return { ...choice, message, finish_reason: kept.length > 0 ? 'tool_calls' as const : choice.finish_reason === 'tool_calls' ? 'stop' as const : choice.finish_reason };
  });
  return { response: changed ? { ...response, choices } : response, blocked };
}

interface PendingCall {
  deltas: ChunkToolCall[];
  /** 'pending' until the name is known. */
  state: 'pending' | 'allowed' | 'blocked';
  newIndex?: number;
  name?: string;
}

interface ChoiceState {
  calls: Map<number, PendingCall>;
  nextIndex: number;
  blocked: string[];
}

/**
 * Streaming stage: buffers each tool call's deltas until its name is known, drops blocked
 * calls, re-indexes the rest, and rewrites the finish reason when nothing allowed remains.
 * `onBlocked` receives each blocked tool name as soon as it is known.
 */
export async function* enforceToolStream(chunks: AsyncIterable<StreamItem>, allowed: readonly string[] | null, onBlocked: (name: string) => void = () => undefined): AsyncIterable<StreamItem> {
  if (allowed === null) {
    yield* chunks;
    return;
  }
  const states = new Map<number, ChoiceState>();
  const stateOf = (index: number): ChoiceState => {
    let state = states.get(index);
    if (!state) {
      state = { calls: new Map(), nextIndex: 0, blocked: [] };
      states.set(index, state);
    }
    return state;
  };
  for await (const item of chunks) {
    // A failure ends the stream as it came: the entrance reports it.
    if (item instanceof StreamFailure) {
      yield item;
      return;
    }
    // Every chunk is read here, unparsed ones too: a finish may need the refusal note.
    for (const chunk of chunksOf(item)) yield* enforceChunk(chunk);
  }

  function* enforceChunk(chunk: ChatChunk): Iterable<StreamItem> {
    if (chunk.choices.length === 0) {
      yield chunk;
      return;
    }
    const choices: ChunkChoice[] = [];
    const extra: ChunkChoice[] = [];
    for (const choice of chunk.choices) {
      const state = stateOf(choice.index);
      const incoming = choice.delta.tool_calls;
      let out: ChunkToolCall[] | undefined;
      if (incoming && incoming.length > 0) {
        out = [];
        for (const delta of incoming) {
          let call = state.calls.get(delta.index);
          if (!call) {
            call = { deltas: [], state: 'pending' };
            state.calls.set(delta.index, call);
          }
          if (call.state === 'blocked') continue;
          if (call.state === 'allowed') {
            out.push({ ...delta, index: call.newIndex ?? 0 });
            continue;
          }
          call.deltas.push(delta);
          const name = call.deltas.map((d) => d.function?.name ?? '').join('');
          if (delta.function?.name !== undefined && name !== '') {
            call.name = name;
            if (isToolAllowed(name, allowed)) {
              call.state = 'allowed';
              call.newIndex = state.nextIndex++;
              for (const buffered of call.deltas) out.push({ ...buffered, index: call.newIndex });
            } else {
              call.state = 'blocked';
              state.blocked.push(name);
              onBlocked(name);
            }
            call.deltas = [];
          }
        }
      }
      let finish = choice.finish_reason;
      let content = choice.delta.content;
      if (finish !== null) {
        // Calls whose name never arrived are dropped too.
        for (const call of state.calls.values()) {
          if (call.state === 'pending') {
            call.state = 'blocked';
            const name = call.name ?? '(unnamed)';
            state.blocked.push(name);
            onBlocked(name);
          }
        }
        if (state.blocked.length > 0) {
          const note = refusalText(state.blocked);
          content = content ? `${content}\n${note}` : note;
          if (finish === 'tool_calls' && state.nextIndex === 0) finish = 'stop';
        }
      }
      const delta = { ...choice.delta };
      if (out !== undefined) {
        if (out.length > 0) delta.tool_calls = out;
        else delete delta.tool_calls;
      }
      if (content !== choice.delta.content) {
        // The refusal goes out as its own delta before the finish.
        extra.push({ index: choice.index, delta: { content }, finish_reason: null });
        delete delta.content;
      }
      const empty = Object.keys(delta).length === 0 && finish === null && choice.finish_reason === null;
      if (!empty) choices.push({ ...choice, delta, finish_reason: finish });
    }
    if (extra.length > 0) yield { ...chunk, choices: extra, usage: undefined };
    if (choices.length > 0 || chunk.usage) yield { ...chunk, choices };
  }
}
