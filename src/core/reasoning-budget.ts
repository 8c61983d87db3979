/**
 * Thinking tokens an OpenAI `reasoning_effort` buys on providers that take a token budget
 * (Claude's extended thinking, Gemini's thinking budget). One table, so the adapters that
 * send the budget and the budgets that reserve the worst case agree on it.
 */
import type { ChatRequest } from './chat-request.js';

export const REASONING_BUDGET_TOKENS = { minimal: 0, low: 2_048, medium: 8_192, high: 24_576 } as const;

export type ReasoningEffort = keyof typeof REASONING_BUDGET_TOKENS;

/** Extra output a request may bill for thinking beyond its own max tokens (0 without an effort). */
export function reasoningBudgetTokens(request: Pick<ChatRequest, 'reasoning_effort'>): number {
  const effort = request.reasoning_effort;
  return effort == null ? 0 : REASONING_BUDGET_TOKENS[effort];
}
