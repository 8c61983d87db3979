/**
 * POST /v1/messages (Anthropic Messages) and POST /v1/messages/count_tokens. Messages is a
 * decoder and an encoder around the shared chat path (serve-chat.ts): any model or route of
 * Arbiter answers it, whatever its upstream's format.
 */
import type { Handler } from '../context.js';
import type { ChatEncoder, ChatEntrance } from '../chat-entrance.js';
import { decodeCountTokensRequest, decodeMessagesRequest } from '../entrances/anthropic-messages/decode-request.js';
import { toAnthropicMessage } from '../entrances/anthropic-messages/encode-response.js';
import { AnthropicStreamEncoder } from '../entrances/anthropic-messages/encode-stream.js';
import { readJsonBody } from '../read-body.js';
import { sendJson } from '../send-json.js';
import { serveChat, type ChatRouteDeps } from '../serve-chat.js';

const messagesEncoder: ChatEncoder = {
  responseText: (response) => JSON.stringify(toAnthropicMessage(response)),
  openStream: (writer) => new AnthropicStreamEncoder(writer),
};

export const messagesEntrance: ChatEntrance = {
  name: 'messages',
  decode: (body) => ({ request: decodeMessagesRequest(body), encoder: messagesEncoder }),
};

export function messagesHandler(deps: ChatRouteDeps): Handler {
  return function messages(ctx) {
    return serveChat(ctx, deps, messagesEntrance);
  };
}

/**
 * Counted with the tokenizer of the deployment the request would go to first, as the budgets
 * count it; nothing is sent upstream.
 * https://docs.anthropic.com/en/api/messages-count-tokens
 */
export function countTokensHandler(deps: ChatRouteDeps): Handler {
  return async function countTokens(ctx) {
    let model: string | undefined;
    try {
      const request = decodeCountTokensRequest(await readJsonBody(ctx.req, deps.bodyLimitBytes));
      model = request.model;
      const target = deps.runtime.resolve(request, { keyRoute: ctx.vars.keyRoute, requestId: ctx.requestId, routeHeader: typeof ctx.req.headers['x-arbiter-route'] === 'string' ? ctx.req.headers['x-arbiter-route'] : undefined });
      sendJson(ctx, 200, { input_tokens: deps.runtime.estimatePromptTokens(request, target.chain[0]) });
    } catch (error) {
      deps.controls.refuse(ctx, error, model);
      throw error;
    }
  };
}
