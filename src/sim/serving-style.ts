/**
 * The response details that tell serving stacks apart, for impersonated endpoints in the
 * OpenAI format: id format, system_fingerprint and usage sub-fields.
 * - OpenAI: `chatcmpl-` + 29 alphanumerics, `fp_` + 10 hex, prompt/completion token details.
 * - DeepSeek: a bare UUID id, `fp_<hex>_prod0820_fp8_kvcache`, prompt_cache_hit/miss_tokens
 *   (api-docs.deepseek.com, "Create Chat Completion").
 * - vLLM-style servers: `chatcmpl-` + 32 hex, no fingerprint, prompt_tokens_details null.
 * - a generic reseller: its own id scheme and a bare usage object.
 */
import { hexId } from './random.js';
import type { ServingStyle } from './impersonation.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alnumId(length: number, ...parts: Array<string | number>): string {
  const hex = hexId(length * 2, ...parts);
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) % ALNUM.length];
  return out;
}

function uuid(...parts: Array<string | number>): string {
  const h = hexId(32, ...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The OpenAI-format JSON body restyled; `echoModel` is the name the endpoint reports. */
export function restyleOpenAiBody(body: string, style: ServingStyle, echoModel: string, seed: number, counter: number): string {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const usage = (parsed.usage ?? {}) as Record<string, number>;
  const prompt = usage.prompt_tokens ?? 0;
  const completion = usage.completion_tokens ?? 0;
  parsed.model = echoModel;
  switch (style) {
    case 'openai':
      parsed.id = `chatcmpl-${alnumId(29, 'id', seed, counter)}`;
      parsed.system_fingerprint = `fp_${hexId(10, 'fp', echoModel, seed)}`;
      break;
    case 'deepseek':
      parsed.id = uuid('id', seed, counter);
      parsed.system_fingerprint = `fp_${hexId(10, 'fp', echoModel, seed)}_prod0820_fp8_kvcache`;
      parsed.usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: 0 }, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: prompt };
      break;
    case 'vllm-style':
      parsed.id = `chatcmpl-${hexId(32, 'id', seed, counter)}`;
      delete parsed.system_fingerprint;
      parsed.usage = { prompt_tokens: prompt, total_tokens: prompt + completion, completion_tokens: completion, prompt_tokens_details: null };
      break;
    case 'generic':
      parsed.id = `gen-${Math.floor(1_700_000_000 + counter)}-${alnumId(20, 'gen', seed, counter)}`;
      delete parsed.system_fingerprint;
      parsed.usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
      break;
    default: {
      const unknownStyle: never = style;
      throw new Error(`unknown style ${String(unknownStyle)}`);
    }
  }
  return JSON.stringify(parsed);
}
