/**
 * POST /v1/responses (OpenAI Responses): a decoder and an encoder around the shared chat path
 * (serve-chat.ts). Stateless by default; `store` and `previous_response_id` work on routes
 * that store bodies (the conversation is kept in the store until it expires, and only the key
 * that made it may continue it) and are refused with a 400 elsewhere.
 * https://platform.openai.com/docs/api-reference/responses/create
 */
import type { ChatMessage } from '../../core/chat-request.js';
import type { AssistantMessage, ChatResponse } from '../../core/chat-response.js';
import { ArbiterError } from '../../core/errors.js';
import type { Store } from '../../store/database.js';
import { loadStoredResponse, saveStoredResponse } from '../../store/stored-responses.js';
import type { ResolvedTarget } from '../../runtime/types.js';
import type { GatewayContext, Handler } from '../context.js';
import type { ChatEncoder, ChatEntrance, DecodedChat } from '../chat-entrance.js';
import { decodeResponsesBody, toCanonicalRequest } from '../entrances/openai-responses/decode-request.js';
import type { ResponsesRequest } from '../entrances/openai-responses/wire.js';
import { newItemId, outputItems, responseObject, statusOf, type ResponseEcho } from '../entrances/openai-responses/encode-response.js';
import { ResponsesStreamEncoder } from '../entrances/openai-responses/encode-stream.js';
import { serveChat, type ChatRouteDeps } from '../serve-chat.js';

export interface ResponsesRouteDeps extends ChatRouteDeps {
  /** Where stored responses live; without one, `store` and `previous_response_id` are refused. */
  store?: Store;
  /** How long a stored response can be continued (OpenAI keeps them 30 days). */
  storedResponseTtlMs?: number;
  now?: () => number;
}

const DEFAULT_TTL_MS = 30 * 24 * 60 * 60 * 1000;

function badRequest(param: string, message: string): ArbiterError {
  return new ArbiterError('invalid_request', message, { param });
}

/** The answer as the assistant turn of a stored conversation. */
function historyTurn(message: AssistantMessage): ChatMessage {
  return {
    role: 'assistant',
    content: message.content,
    ...(message.tool_calls?.length ? { tool_calls: message.tool_calls.map((call) => ({ id: call.id, type: 'function' as const, function: call.function })) } : {}),
    ...(message.reasoning_content ? { reasoning_content: message.reasoning_content } : {}),
    ...(message.thinking_blocks?.length ? { thinking_blocks: message.thinking_blocks } : {}),
  };
}

export function responsesEntrance(deps: ResponsesRouteDeps): ChatEntrance {
  const now = deps.now ?? Date.now;
  const ttlMs = deps.storedResponseTtlMs ?? DEFAULT_TTL_MS;
  const store = deps.store;

  /** Sync unless a previous turn must be loaded: no promise step for a stateless request. */
  function decode(body: unknown, ctx: GatewayContext): DecodedChat | Promise<DecodedChat> {
    const { wire, input } = decodeResponsesBody(body);
    const keyId = ctx.vars.keyId ?? null;
    const previousId = wire.previous_response_id ?? undefined;
    if (previousId === undefined) return build(wire, input, keyId, [], undefined);
    return (async () => {
      if (!store) throw badRequest('previous_response_id', "'previous_response_id' needs stored responses, and this gateway has no store for them.");
      const prior = await loadStoredResponse(store, previousId, now());
      // Another key's response is as absent as one that never was: its existence is not told.
      if (!prior || prior.keyId !== keyId) throw badRequest('previous_response_id', `Previous response with id '${previousId}' not found (responses expire after ${Math.round(ttlMs / 86_400_000)} days).`);
      return build(wire, input, keyId, prior.messages as ChatMessage[], prior.route);
    })();
  }

  function build(wire: ResponsesRequest, input: ChatMessage[], keyId: string | null, history: ChatMessage[], priorRoute: string | undefined): DecodedChat {
    const previousId = wire.previous_response_id ?? undefined;
    const request = toCanonicalRequest(wire, history, input);
    const echo: ResponseEcho = { id: newItemId('resp'), createdAt: Math.floor(now() / 1000), model: wire.model, wire, store: false };
    let routeName = '';

    const save = async (message: AssistantMessage, response: Record<string, unknown>): Promise<void> => {
      if (!store || !echo.store) return;
      const at = now();
      await saveStoredResponse(store, { id: echo.id, keyId, route: routeName, messages: [...history, ...input, historyTurn(message)], response, createdAt: at, expiresAt: at + ttlMs });
    };

    const encoder: ChatEncoder = {
      responseText(response: ChatResponse) {
        const choice = response.choices[0];
        const object = responseObject(echo, { ...statusOf(choice?.finish_reason), output: outputItems(choice?.message), usage: response.usage, model: response.model });
        const text = JSON.stringify(object);
        // Stored before the client has the id, so a follow-up can never outrun it.
        return echo.store && choice ? save(choice.message, object).then(() => text) : text;
      },
      openStream: (writer) => new ResponsesStreamEncoder(writer, echo, echo.store ? save : undefined),
    };

    return {
      request,
      encoder,
      checkTarget(target: ResolvedTarget) {
        const stores = target.route?.storeBodies === true && store !== undefined;
        const where = target.routeName ? `route '${target.routeName}'` : `model '${target.requested}' (not a route)`;
        if (previousId !== undefined && !stores) throw badRequest('previous_response_id', `'previous_response_id' works only on a route that stores bodies (storeBodies: true); ${where} does not.`);
        if (previousId !== undefined && priorRoute !== target.routeName) throw badRequest('previous_response_id', `Previous response '${previousId}' was made on route '${priorRoute}'; continue it on the same route.`);
        if (wire.store === true && !stores) throw badRequest('store', `'store: true' works only on a route that stores bodies (storeBodies: true); ${where} does not. Send 'store: false' or use such a route.`);
        // OpenAI stores by default; here only where the route keeps bodies anyway.
        echo.store = stores && wire.store !== false;
        routeName = target.routeName ?? '';
      },
    };
  }

  return { name: 'responses', decode };
}

export function responsesHandler(deps: ResponsesRouteDeps): Handler {
  const entrance = responsesEntrance(deps);
  return function responses(ctx) {
    return serveChat(ctx, deps, entrance);
  };
}
