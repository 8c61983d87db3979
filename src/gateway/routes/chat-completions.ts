/**
 * POST /v1/chat/completions: the canonical request is this entrance's own wire, so decoding is
 * validation and encoding is (nearly) forwarding. The path behind it is serve-chat.ts, shared
 * with every other entrance.
 */
import { parseChatRequest } from '../../core/chat-request.js';
import type { Handler } from '../context.js';
import type { ChatEntrance } from '../chat-entrance.js';
import { chatEncoders } from '../entrances/chat-completions/encode.js';
import { serveChat, type ChatRouteDeps } from '../serve-chat.js';

export type { ChatRouteDeps } from '../serve-chat.js';

export const chatCompletionsEntrance: ChatEntrance = {
  name: 'chat',
  decode(body) {
    const request = parseChatRequest(body);
    return { request, encoder: request.stream_options?.include_usage === true ? chatEncoders.withUsage : chatEncoders.withoutUsage };
  },
};

export function chatCompletionsHandler(deps: ChatRouteDeps): Handler {
  return function chatCompletions(ctx) {
    return serveChat(ctx, deps, chatCompletionsEntrance);
  };
}
