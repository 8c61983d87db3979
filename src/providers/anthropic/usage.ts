/**
 * Anthropic usage → OpenAI usage. Anthropic's `input_tokens` excludes cache reads and writes,
 * OpenAI's `prompt_tokens` includes cached tokens, so the three are summed; thinking tokens
 * are part of `output_tokens` as reasoning tokens are part of `completion_tokens`.
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 */
import type { Usage } from '../../core/chat-response.js';

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

export function mapAnthropicUsage(usage: AnthropicUsage): Usage {
  const cached = usage.cache_read_input_tokens ?? 0;
  const written = usage.cache_creation_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cached + written;
  const completion = usage.output_tokens ?? 0;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached, ...(written ? { cache_creation_tokens: written } : {}) },
    ...(typeof thinking === 'number' ? { completion_tokens_details: { reasoning_tokens: thinking } } : {}),
  };
}

/**
 * message_delta usage is cumulative and may repeat the input counts, or send them as null
 * (the SDK types them `number | null`): a null must not erase what message_start said.
 */
export function mergeAnthropicUsage(start: AnthropicUsage, delta: AnthropicUsage | undefined): AnthropicUsage {
  const merged: AnthropicUsage = { ...start };
  if (!delta) return merged;
  for (const key of ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const) {
    const value = delta[key];
    if (typeof value === 'number') merged[key] = value;
  }
  if (delta.output_tokens_details) merged.output_tokens_details = delta.output_tokens_details;
  return merged;
}
