/**
 * OpenAI embeddings on Gemini's batchEmbedContents: one request per input text, in order.
 * https://ai.google.dev/api/embeddings#method:-models.batchembedcontents
 * Gemini embeds text, not token ids, and reports no token usage; the runtime counts the
 * input when usage comes back empty.
 */
import { ArbiterError } from '../../core/errors.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../core/embeddings.js';

export function toGeminiEmbedRequest(request: EmbeddingRequest, upstreamModel: string): Record<string, unknown> {
  const input = request.input;
  if (typeof input !== 'string' && !input.every((item): item is string => typeof item === 'string')) {
    throw new ArbiterError('invalid_request', 'Gemini embeds text only: send input as a string or an array of strings, not token ids.', { param: 'input' });
  }
  const texts = typeof input === 'string' ? [input] : input;
  return {
    requests: texts.map((text) => ({
      model: `models/${upstreamModel}`,
      content: { parts: [{ text }] },
      ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
    })),
  };
}

interface GeminiEmbedResponse { embeddings?: Array<{ values?: unknown }> }

export function fromGeminiEmbedResponse(body: unknown, request: EmbeddingRequest, deploymentName: string): EmbeddingResponse {
  const embeddings = (body as GeminiEmbedResponse | undefined)?.embeddings;
  if (!Array.isArray(embeddings)) {
    throw new ArbiterError('upstream_error', `Deployment ${deploymentName} returned no embeddings.`, { retryable: true });
  }
  const base64 = request.encoding_format === 'base64';
  return {
    object: 'list',
    data: embeddings.map((entry, index) => {
      const values = Array.isArray(entry.values) ? entry.values.map(Number) : [];
      const embedding = base64 ? Buffer.from(Float32Array.from(values).buffer).toString('base64') : values;
      return { object: 'embedding' as const, index, embedding };
    }),
    model: request.model,
    usage: { prompt_tokens: 0, total_tokens: 0 },
  };
}
