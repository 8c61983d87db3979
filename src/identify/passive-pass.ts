/**
 * Passive pass: what an endpoint says about itself without being asked about itself, i.e.
 * the model list, the echoed model name, system_fingerprint, the response id format, the
 * error body of a malformed request, whether `logprobs` is accepted and which usage
 * sub-fields come back. These mostly identify the serving stack (OpenAI's API, DeepSeek's,
 * vLLM-style servers), which is why they only nudge the family verdict; their one strong
 * use is corroborating a tiktoken fit, since a proxy recounting with cl100k reports
 * exactly what GPT-4 would, but not with OpenAI's ids, fingerprints and usage details.
 */
import type { TokenizerId } from '../core/family-tokenizers.js';
import type { ChatObservation } from './endpoint.js';
import type { EvidenceRow } from './evidence.js';

export interface PassiveInput {
  models?: { status: number; ids: string[]; owners: string[] };
  requestedModel: string;
  /** A successful chat response (the first tokenizer probe). */
  sample?: ChatObservation;
  /** The answer to a request with an invalid parameter. */
  errorProbe?: ChatObservation;
  /** The answer to a request asking for logprobs. */
  paramProbe?: ChatObservation;
}

export type ServingStack = 'openai' | 'deepseek' | 'anthropic' | 'gemini' | 'vllm-style' | 'unknown';

export interface PassiveResult {
  stack: ServingStack;
  echoedModel?: string;
  /** OpenAI's own wire shape: corroborates an o200k/cl100k fit. */
  openAiWire: boolean;
  /** Multiplicative hints per family set (at most 2x each way). */
  hints: Partial<Record<TokenizerId, number>>;
  /** A short stable summary for the fingerprint: stack and usage fields. */
  signature: string;
  evidence: EvidenceRow[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function usageKeys(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const usage = isRecord(body.usage) ? body.usage : isRecord(body.usageMetadata) ? body.usageMetadata : undefined;
  if (!usage) return [];
  const keys: string[] = [];
  for (const [key, value] of Object.entries(usage)) {
    keys.push(key);
    if (isRecord(value)) for (const inner of Object.keys(value)) keys.push(`${key}.${inner}`);
  }
  return keys.sort();
}

function idStyle(id: unknown): string {
  if (typeof id !== 'string') return 'none';
  if (/^chatcmpl-[A-Za-z0-9]{29}$/.test(id)) return 'openai (chatcmpl- + 29 alphanumerics)';
  if (/^chatcmpl-[0-9a-f]{32}$/.test(id)) return 'chatcmpl- + 32 hex (vLLM-style)';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return 'bare UUID';
  if (/^msg_/.test(id)) return 'anthropic (msg_)';
  return `other (${id.replace(/[A-Za-z0-9]/g, (c) => (/\d/.test(c) ? '9' : 'a')).slice(0, 24)})`;
}

function errorShape(observation: ChatObservation | undefined): string {
  if (!observation) return 'not probed';
  const body = observation.body;
  if (observation.status >= 200 && observation.status < 300) return `accepted (${observation.status}): invalid parameters are not checked`;
  if (isRecord(body) && isRecord(body.error)) {
    const keys = Object.keys(body.error).sort().join(',');
    return `${observation.status} {error:{${keys}}}`;
  }
  if (isRecord(body) && body.object === 'error') return `${observation.status} {object:'error',...} (vLLM-style)`;
  if (isRecord(body) && 'detail' in body) return `${observation.status} {detail} (FastAPI-style)`;
  return `${observation.status} ${observation.failure ?? 'unrecognised body'}`;
}

function detectStack(sample: ChatObservation | undefined, keys: string[]): ServingStack {
  const body = sample?.body;
  if (!isRecord(body)) return 'unknown';
  if (typeof body.id === 'string' && body.id.startsWith('msg_')) return 'anthropic';
  if (isRecord(body.usageMetadata)) return 'gemini';
  if (keys.includes('prompt_cache_hit_tokens')) return 'deepseek';
  const fingerprint = body.system_fingerprint;
  if (typeof body.id === 'string' && /^chatcmpl-[A-Za-z0-9]{29}$/.test(body.id) && typeof fingerprint === 'string' && /^fp_[0-9a-f]{10}$/.test(fingerprint)
    && keys.includes('completion_tokens_details.accepted_prediction_tokens')) return 'openai';
  if (typeof body.id === 'string' && /^chatcmpl-[0-9a-f]{32}$/.test(body.id)) return 'vllm-style';
  return 'unknown';
}

export function runPassivePass(input: PassiveInput): PassiveResult {
  const evidence: EvidenceRow[] = [];
  const body = isRecord(input.sample?.body) ? input.sample.body : undefined;
  const keys = usageKeys(body);
  const stack = detectStack(input.sample, keys);
  const echoedModel = typeof body?.model === 'string' ? body.model : typeof body?.modelVersion === 'string' ? body.modelVersion : undefined;
  const hints: PassiveResult['hints'] = {};
  if (input.models) {
    const listed = input.models.ids.includes(input.requestedModel);
    evidence.push({ pass: 'passive', signal: 'model list', value: input.models.status === 200 ? `${input.models.ids.length} models${listed ? ', requested one listed' : ''}; owners: ${input.models.owners.join(', ') || '-'}` : `status ${input.models.status}`, weight: 'none' });
  }
  evidence.push({ pass: 'passive', signal: 'echoed model', value: echoedModel ?? '-', weight: 'none', note: echoedModel && echoedModel !== input.requestedModel ? 'differs from the requested name' : 'a name is a claim, not evidence' });
  evidence.push({ pass: 'passive', signal: 'response id', value: idStyle(body?.id), weight: 'low' });
  evidence.push({ pass: 'passive', signal: 'system_fingerprint', value: body && 'system_fingerprint' in body ? String(body.system_fingerprint) : 'absent', weight: 'low' });
  evidence.push({ pass: 'passive', signal: 'usage fields', value: keys.join(', ') || '-', weight: 'low' });
  evidence.push({ pass: 'passive', signal: 'error format', value: errorShape(input.errorProbe), weight: 'low' });
  if (input.paramProbe) {
    const p = input.paramProbe;
    const returned = isRecord(p.body) && Array.isArray(p.body.choices) && isRecord(p.body.choices[0]) && p.body.choices[0].logprobs != null;
    evidence.push({ pass: 'passive', signal: 'logprobs', value: p.status === 200 ? (returned ? 'accepted and returned' : 'accepted, not returned') : `refused (${p.status})`, weight: 'low' });
  }
  // The stacks below serve their maker's models only: a mild hint, since a reseller can imitate them.
  if (stack === 'deepseek') hints['deepseek-v3'] = 2;
  if (stack === 'anthropic') hints['claude-legacy'] = 2;
  if (stack === 'gemini') {
    hints.gemma = 1.5;
    hints.gemma3 = 1.5;
  }
  evidence.push({ pass: 'passive', signal: 'serving stack', value: stack, weight: 'low' });
  return { stack, echoedModel, openAiWire: stack === 'openai', hints, signature: `${stack}|${keys.join(',')}`, evidence };
}
