/**
 * Reads LiteLLM's price map (model_prices_and_context_window.json; see
 * data/reference/README.md) into per-million-token prices, and finds the entry that prices
 * a catalog deployment. Only the fields we use are read; everything else is ignored.
 */
import { z } from 'zod';
import type { DeploymentEntry, Preset } from './schema.js';

/** Top-level keys that document the format or hold pattern rules, not models. */
const SPECIAL_KEYS = new Set(['sample_spec', 'fallback_generalizations']);

export interface LiteLLMPrice {
  key: string;
  provider: string | undefined;
  /** USD per million tokens. */
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
  /** Set when the entry is priced by prompt-length tiers and the first tier was taken. */
  tierNote?: string;
  deprecationDate?: string;
}

const perToken = z.number().finite().nonnegative();
const tierSchema = z.looseObject({
  range: z.tuple([z.number(), z.number()]).rest(z.number()).optional(),
  input_cost_per_token: perToken.optional(),
  output_cost_per_token: perToken.optional(),
  cache_read_input_token_cost: perToken.optional(),
  cache_creation_input_token_cost: perToken.optional(),
});
const entrySchema = tierSchema.extend({
  litellm_provider: z.string().optional(),
  tiered_pricing: z.array(tierSchema).optional(),
  deprecation_date: z.string().optional(),
});

type Tier = z.infer<typeof tierSchema>;

/** USD per token -> per million, without binary-float tails (2.5e-6 -> 2.5, not 2.4999999999999996). */
export function perMillion(usdPerToken: number): number {
  return Number((usdPerToken * 1_000_000).toPrecision(10));
}

function firstTier(tiers: Tier[]): Tier | undefined {
  const priced = tiers.filter((tier) => tier.input_cost_per_token !== undefined && tier.output_cost_per_token !== undefined);
  return priced.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0))[0];
}

function toPrice(key: string, raw: unknown): LiteLLMPrice | undefined {
  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const entry = parsed.data;
  let tier: Tier = entry;
  let tierNote: string | undefined;
  if ((entry.input_cost_per_token === undefined || entry.output_cost_per_token === undefined) && entry.tiered_pricing?.length) {
    const first = firstTier(entry.tiered_pricing);
    if (!first) return undefined;
    tier = first;
    const [from, to] = first.range ?? [0, 0];
    tierNote = `tiered by prompt length; first tier (${from}-${to} prompt tokens) of ${entry.tiered_pricing.length}`;
  }
  if (tier.input_cost_per_token === undefined || tier.output_cost_per_token === undefined) return undefined;
  const price: LiteLLMPrice = {
    key,
    provider: entry.litellm_provider,
    input: perMillion(tier.input_cost_per_token),
    output: perMillion(tier.output_cost_per_token),
  };
  if (tier.cache_read_input_token_cost !== undefined) price.cachedInput = perMillion(tier.cache_read_input_token_cost);
  // Zero here means "no surcharge listed" in practice (zai entries), not free cache writes.
  if (tier.cache_creation_input_token_cost) price.cacheWrite = perMillion(tier.cache_creation_input_token_cost);
  if (tierNote) price.tierNote = tierNote;
  if (entry.deprecation_date && /^\d{4}-\d{2}-\d{2}$/.test(entry.deprecation_date)) price.deprecationDate = entry.deprecation_date;
  return price;
}

export interface LiteLLMIndex {
  byKey: Map<string, LiteLLMPrice>;
  /** `${litellm_provider}\u0000${id without its provider/ prefix}` -> entry. */
  byProviderModel: Map<string, LiteLLMPrice>;
  /** Entries skipped: special keys, non-objects, no usable price. */
  skipped: number;
}

/** Indexes every priced entry; throws only when the document is not a JSON object. */
export function parseLiteLLMPrices(raw: unknown): LiteLLMIndex {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new TypeError('LiteLLM price map must be a JSON object of model id -> entry');
  }
  const index: LiteLLMIndex = { byKey: new Map(), byProviderModel: new Map(), skipped: 0 };
  for (const [key, value] of Object.entries(raw)) {
    const price = SPECIAL_KEYS.has(key) ? undefined : toPrice(key, value);
    if (!price) {
      index.skipped += 1;
      continue;
    }
    index.byKey.set(key, price);
    if (price.provider) {
      const bare = key.startsWith(`${price.provider}/`) ? key.slice(price.provider.length + 1) : key;
      const composite = `${price.provider}\u0000${bare}`;
      // Prefer the bare vendor id (`deepseek-chat`) over duplicates under other spellings.
      if (!index.byProviderModel.has(composite) || key === bare) index.byProviderModel.set(composite, price);
    }
  }
  return index;
}

/** LiteLLM's `litellm_provider` and key prefix for each host we know. Local and qwen-cn: none. */
const presetProviders: Partial<Record<Preset, string>> = {
  deepseek: 'deepseek',
  'qwen-intl': 'dashscope',
  moonshot: 'moonshot',
  zhipu: 'zai',
  minimax: 'minimax',
  mistral: 'mistral',
  groq: 'groq',
  together: 'together_ai',
  fireworks: 'fireworks_ai',
  openrouter: 'openrouter',
};

export function liteLLMProviderFor(deployment: Pick<DeploymentEntry, 'provider' | 'preset'>): string | undefined {
  switch (deployment.provider) {
    case 'openai': return 'openai';
    case 'anthropic': return 'anthropic';
    case 'gemini': return 'gemini';
    case 'openai-compatible': return deployment.preset ? presetProviders[deployment.preset] : undefined;
    default: {
      const _exhaustive: never = deployment.provider;
      return _exhaustive;
    }
  }
}

/** The entry pricing a deployment: its `priceKey`, else `<provider>/<upstream>`, else the bare id under that provider. */
export function findLiteLLMPrice(index: LiteLLMIndex, deployment: Pick<DeploymentEntry, 'provider' | 'preset' | 'upstreamModel' | 'priceKey'>): LiteLLMPrice | undefined {
  if (deployment.priceKey) return index.byKey.get(deployment.priceKey);
  const provider = liteLLMProviderFor(deployment);
  if (!provider) return undefined;
  const prefixed = index.byKey.get(`${provider}/${deployment.upstreamModel}`);
  if (prefixed && (prefixed.provider === undefined || prefixed.provider === provider)) return prefixed;
  return index.byProviderModel.get(`${provider}\u0000${deployment.upstreamModel}`);
}
