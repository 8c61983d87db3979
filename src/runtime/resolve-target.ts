/**
 * Which chain serves a request. Precedence: the `x-arbiter-route` header; a model name that
 * is a route; `arbiter/auto` (the key's route, else the default route); a known model or
 * deployment (its mirrors, healthiest first); else the key's route; else 404.
 */
import type { ArbiterConfig } from '../config/schema.js';
import type { ChatRequest } from '../core/chat-request.js';
import { ArbiterError } from '../core/errors.js';
import type { Deployment } from '../core/provider.js';
import type { ModelIndex } from './model-index.js';
import type { Routing } from './routing.js';
import type { ResolvedTarget, TargetHints } from './types.js';

export const AUTO_MODEL = 'arbiter/auto';

export interface ResolveInput {
  request: ChatRequest;
  hints: TargetHints;
  index: ModelIndex;
  routing: Routing;
  config: ArbiterConfig;
  estimate: (request: ChatRequest, deployment?: Deployment) => number;
}

function routeTarget(input: ResolveInput, routeName: string): ResolvedTarget {
  if (!input.config.routes[routeName]) {
    throw new ArbiterError('not_found', `The route '${routeName}' does not exist.`, { param: input.hints.routeHeader === routeName ? 'x-arbiter-route' : 'model' });
  }
  return input.routing.decideRoute(routeName, input.request, input.hints.requestId ?? '', input.estimate(input.request));
}

export function resolveTarget(input: ResolveInput): ResolvedTarget {
  const { request, hints, index, config } = input;
  if (hints.routeHeader) return routeTarget(input, hints.routeHeader);
  if (config.routes[request.model]) return routeTarget(input, request.model);
  if (request.model === AUTO_MODEL) {
    const routeName = hints.keyRoute ?? config.defaultRoute;
    if (!routeName) throw new ArbiterError('invalid_request', `'${AUTO_MODEL}' needs a route: set defaultRoute in the config, send x-arbiter-route, or use a key bound to a route.`, { param: 'model' });
    return routeTarget(input, routeName);
  }
  const mirrors = index.lookup(request.model);
  if (mirrors) {
    return { requested: request.model, chain: input.routing.orderMirrors(mirrors), reason: `model ${request.model} requested` };
  }
  if (hints.keyRoute) return routeTarget(input, hints.keyRoute);
  throw new ArbiterError('model_not_found', `The model '${request.model}' does not exist or is not served by this gateway.`, { param: 'model' });
}
