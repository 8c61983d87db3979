/**
 * Gemini `finishReason` (and a blocked prompt's `blockReason`) → OpenAI `finish_reason`.
 * https://ai.google.dev/api/generate-content#FinishReason
 */
import type { FinishReason } from '../../core/chat-response.js';

export function mapGeminiFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'MAX_TOKENS': return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'LANGUAGE':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
      return 'content_filter';
    // MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL, TOO_MANY_TOOL_CALLS, OTHER...: the turn
    // ended without a usable call; OpenAI has no finish reason for that, the raw value is kept
    // in native_finish_reason.
    case 'STOP':
    default:
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}
