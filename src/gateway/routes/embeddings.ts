/** POST /v1/embeddings for models whose provider embeds (OpenAI and compatible vendors). */
import { parseEmbeddingRequest } from '../../core/embeddings.js';
import { nanoToUsd } from '../../core/money.js';
import type { Handler } from '../context.js';
import type { Runtime } from '../../runtime/types.js';
import { readJsonBody } from '../read-body.js';
import { sendJson } from '../send-json.js';

export function embeddingsHandler(deps: { runtime: Runtime; bodyLimitBytes: number }): Handler {
  return async function embeddings(ctx) {
    const request = parseEmbeddingRequest(await readJsonBody(ctx.req, deps.bodyLimitBytes));
    const { response, deployment, costNano } = await deps.runtime.embed(request, { signal: ctx.signal, requestId: ctx.requestId });
    ctx.responseHeaders['x-arbiter-model'] = deployment.model;
    ctx.responseHeaders['x-arbiter-cost-usd'] = costNano === null ? 'unpriced' : nanoToUsd(costNano).toFixed(9);
    const usage = costNano === null ? response.usage : { ...response.usage, cost_usd: nanoToUsd(costNano) };
    sendJson(ctx, 200, { ...response, usage });
  };
}
