/**
 * Canonical responses and stream chunks are OpenAI's `chat.completion` and
 * `chat.completion.chunk` objects: the gateway returns them as they are, and every adapter
 * maps its provider's wire format onto them.
 * Reference: https://platform.openai.com/docs/api-reference/chat/object
 */
import type { ThinkingBlock } from './chat-request.js';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

/**
 * Provider data a tool call must carry back on the next turn. Gemini 3 rejects a function
 * call in the history without the thought signature it was issued with; Google's own
 * OpenAI-compatible endpoint puts it in `extra_content.google.thought_signature`, so clients
 * that round-trip that shape work unchanged.
 * https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export interface ToolCallExtra { google?: { thought_signature?: string } }

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  extra_content?: ToolCallExtra;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string | null;
  refusal?: string | null;
  tool_calls?: ToolCall[];
  /** Reasoning text where the provider exposes it (DeepSeek, Anthropic thinking, Gemini thoughts). */
  reasoning_content?: string;
  /** Claude's thinking blocks with signatures, to hand back on the next turn (see chat-request.ts). */
  thinking_blocks?: ThinkingBlock[];
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; audio_tokens?: number; cache_creation_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number; audio_tokens?: number; accepted_prediction_tokens?: number; rejected_prediction_tokens?: number };
  /** Arbiter extension: the request's cost in USD from the deployment's prices (absent when unpriced). */
  cost_usd?: number;
}

export interface ChatChoice {
  index: number;
  message: AssistantMessage;
  finish_reason: FinishReason;
  /**
   * The provider's own stop reason when it is not OpenAI (`end_turn`, `MAX_TOKENS`,
   * `MALFORMED_FUNCTION_CALL`...): the unified value loses detail, this keeps it. Same name as
   * OpenRouter's extension, so clients that read one read the other.
   */
  native_finish_reason?: string;
  logprobs: unknown;
}

export interface ChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatChoice[];
  usage?: Usage;
  system_fingerprint?: string | null;
  service_tier?: string | null;
}

export interface ChunkToolCall {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
  extra_content?: ToolCallExtra;
}

export interface ChunkDelta {
  role?: 'assistant';
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  tool_calls?: ChunkToolCall[];
}

export interface ChunkChoice {
  index: number;
  delta: ChunkDelta;
  finish_reason: FinishReason | null;
  native_finish_reason?: string;
  logprobs?: unknown;
}

export interface ChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChunkChoice[];
  usage?: Usage | null;
  system_fingerprint?: string | null;
}

export function makeUsage(prompt: number, completion: number, extra: { cached?: number; reasoning?: number } = {}): Usage {
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (extra.cached !== undefined) usage.prompt_tokens_details = { cached_tokens: extra.cached };
  if (extra.reasoning !== undefined) usage.completion_tokens_details = { reasoning_tokens: extra.reasoning };
  return usage;
}
