/**
 * Which chain serves a request. Precedence: the `x-arbiter-route` header; a model name that
 * is a route; `arbiter/auto` (the default route); a known model or deployment (its mirrors,
 * healthiest first); else 404.
 *
 * A key bound to a route is held to it: that route's policy (compliance, price, quality)
 * decides every request the key makes. Naming another route is refused, and naming a model
 * narrows the route's chain to that model's deployments, refused when the policy excludes it.
 */
import type { ArbiterConfig } from '../config/schema.js';
import type { ChatRequest } from '../core/chat-request.js';
import { ArbiterError } from '../core/errors.js';
import { ownValue } from '../core/own-property.js';
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
  if (!ownValue(input.config.routes, routeName)) {
    throw new ArbiterError('not_found', `The route '${routeName}' does not exist.`, { param: input.hints.routeHeader === routeName ? 'x-arbiter-route' : 'model' });
  }
  return input.routing.decideRoute(routeName, input.request, input.hints.requestId ?? '', input.estimate(input.request));
}

function keyBoundTarget(input: ResolveInput, keyRoute: string): ResolvedTarget {
  const { request, hints, config } = input;
  const asked = hints.routeHeader ?? (ownValue(config.routes, request.model) ? request.model : undefined);
  if (asked !== undefined && asked !== keyRoute) {
    throw new ArbiterError('permission_denied', `This API key is bound to the route '${keyRoute}' and may not use the route '${asked}'.`, { param: hints.routeHeader ? 'x-arbiter-route' : 'model' });
  }
  const target = routeTarget(input, keyRoute);
  if (asked !== undefined || request.model === AUTO_MODEL) return target;
  const mirrors = input.index.lookup(request.model);
  if (!mirrors) return target;
  // A named model: only its deployments, and only those the key's route admits.
  const names = new Set(mirrors.map((deployment) => deployment.name));
  const chain = target.chain.filter((deployment) => names.has(deployment.name));
  if (chain.length === 0) {
    throw new ArbiterError('permission_denied', `The model '${request.model}' is not allowed by the route '${keyRoute}' this API key is bound to (see \`arbiter route --explain --route ${keyRoute}\`).`, { param: 'model' });
  }
  // Built field by field: spreading would render the target's lazy explanation.
  return { requested: request.model, routeName: target.routeName, route: target.route, chain, reason: `route ${keyRoute}: model ${request.model} requested, allowed by the key's route` };
}

export function resolveTarget(input: ResolveInput): ResolvedTarget {
  const { request, hints, index, config } = input;
  if (hints.keyRoute) return keyBoundTarget(input, hints.keyRoute);
  if (hints.routeHeader) return routeTarget(input, hints.routeHeader);
  if (ownValue(config.routes, request.model)) return routeTarget(input, request.model);
  if (request.model === AUTO_MODEL) {
    const routeName = config.defaultRoute;
    if (!routeName) throw new ArbiterError('invalid_request', `'${AUTO_MODEL}' needs a route: set defaultRoute in the config, send x-arbiter-route, or use a key bound to a route.`, { param: 'model' });
    return routeTarget(input, routeName);
  }
  const mirrors = index.lookup(request.model);
  if (mirrors) {
    return { requested: request.model, chain: input.routing.orderMirrors(mirrors), reason: `model ${request.model} requested` };
  }
  throw new ArbiterError('model_not_found', `The model '${request.model}' does not exist or is not served by this gateway.`, { param: 'model' });
}
