/**
 * POST /v1/embeddings for models whose provider embeds (OpenAI and compatible vendors,
 * Gemini). Keys, rate limits, the key's budgets, the audit trail and metrics apply as on chat.
 */
import { parseEmbeddingRequest, type EmbeddingRequest } from '../../core/embeddings.js';
import type { Deployment } from '../../core/provider.js';
import { nanoToUsd } from '../../core/money.js';
import type { Handler } from '../context.js';
import type { Runtime } from '../../runtime/types.js';
import type { ChatControls, ChatOutcome } from '../chat-controls.js';
import { toArbiterError } from '../error-response.js';
import { readJsonBody } from '../read-body.js';
import { sendJson } from '../send-json.js';

export function embeddingsHandler(deps: { runtime: Runtime; bodyLimitBytes: number; controls: ChatControls }): Handler {
  return async function embeddings(ctx) {
    let request: EmbeddingRequest | undefined;
    let deployment: Deployment;
    try {
      request = parseEmbeddingRequest(await readJsonBody(ctx.req, deps.bodyLimitBytes));
      deployment = deps.runtime.resolveEmbedding(request, ctx.vars.keyRoute);
    } catch (error) {
      deps.controls.refuse(ctx, error, request?.model);
      throw error;
    }
    const admission = await deps.controls.admitEmbedding(ctx, request, deployment);
    const outcome: ChatOutcome = { status: 200, deployment, attempts: [], retries: 0, fallbacks: 0, streamed: false };
    const started = performance.now();
    try {
      const { response, costNano } = await deps.runtime.embed(request, deployment, { signal: ctx.signal, requestId: ctx.requestId });
      outcome.attempts.push({ deployment: deployment.name, ok: true, latencyMs: performance.now() - started });
      outcome.costNano = costNano;
      outcome.usage = { prompt_tokens: response.usage.prompt_tokens, completion_tokens: 0, total_tokens: response.usage.prompt_tokens };
      ctx.responseHeaders['x-arbiter-model'] = deployment.model;
      ctx.responseHeaders['x-arbiter-deployment'] = deployment.name;
      ctx.responseHeaders['x-arbiter-cost-usd'] = costNano === null ? 'unpriced' : nanoToUsd(costNano).toFixed(9);
      const usage = costNano === null ? response.usage : { ...response.usage, cost_usd: nanoToUsd(costNano) };
      sendJson(ctx, 200, { ...response, usage });
    } catch (error) {
      const arbiterError = toArbiterError(error, ctx.requestId);
      Object.assign(outcome, { status: arbiterError.status, errorCode: arbiterError.code });
      outcome.attempts.push({ deployment: deployment.name, ok: false, errorCode: arbiterError.code, status: arbiterError.status, latencyMs: performance.now() - started });
      throw arbiterError;
    } finally {
      admission.finish(outcome);
    }
  };
}
