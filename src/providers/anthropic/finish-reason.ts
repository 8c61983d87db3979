/**
 * Anthropic `stop_reason` → OpenAI `finish_reason`.
 * https://docs.anthropic.com/en/api/handling-stop-reasons
 */
import type { FinishReason } from '../../core/chat-response.js';

export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    // model_context_window_exceeded: input plus output filled the window; cut short, as `length` says.
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use': return 'tool_calls';
    case 'refusal': return 'content_filter';
    // pause_turn: a server tool paused a long turn; the text so far is a complete answer to relay.
    case 'pause_turn':
    case 'end_turn':
    case 'stop_sequence':
    default:
      return 'stop';
  }
}
