/** OpenAI's embeddings request/response, the canonical shape for every provider that embeds. */
import { z } from 'zod';
import { ArbiterError } from './errors.js';
import { zodToArbiterError } from './chat-request.js';

export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.array(z.number().int()).min(1),
    z.array(z.array(z.number().int()).min(1)).min(1),
  ], { error: 'must be a string, a non-empty array of strings, or token ids (an array of integers or of integer arrays)' }),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
});

export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

export interface EmbeddingResponse {
  object: 'list';
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number; cost_usd?: number };
}

export function parseEmbeddingRequest(body: unknown): EmbeddingRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ArbiterError('invalid_request', 'The request body must be a JSON object.');
  }
  const result = embeddingRequestSchema.safeParse(body);
  if (!result.success) throw zodToArbiterError(result.error);
  return result.data;
}
