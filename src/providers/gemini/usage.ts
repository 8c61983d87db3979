/**
 * Gemini usageMetadata → OpenAI usage. promptTokenCount already includes cached content;
 * tool-use prompt tokens (results of server-side tools fed back in) are input too. Thought
 * tokens are billed as output and are not in candidatesTokenCount, so they join
 * completion_tokens as OpenAI's reasoning tokens do.
 * https://ai.google.dev/api/generate-content#UsageMetadata
 */
import type { Usage } from '../../core/chat-response.js';

export interface GeminiUsage {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

export function mapGeminiUsage(usage: GeminiUsage): Usage {
  const prompt = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0);
  const thoughts = usage.thoughtsTokenCount ?? 0;
  const completion = (usage.candidatesTokenCount ?? 0) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.cachedContentTokenCount ?? 0 },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}
