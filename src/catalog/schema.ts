/**
 * The catalog file's shape: every model Arbiter knows, and every place each one is served,
 * with prices as facts that carry their source and date. Parsed once with zod at load time
 * (data/catalog/models.yaml), then trusted.
 */
import { z } from 'zod';

/** Who makes a model and how it is released; the router's compliance rules key off this. */
export const modelFamilySchema = z.enum([
  'us-closed', 'eu-closed', 'cn-closed', 'us-eu-open', 'cn-open', 'local', 'simulated',
]);

export const providerKindSchema = z.enum(['openai', 'anthropic', 'gemini', 'openai-compatible']);

/** Vendors reached through the shared OpenAI-compatible adapter, by preset name. */
export const presetSchema = z.enum([
  'deepseek', 'qwen-intl', 'qwen-cn', 'moonshot', 'zhipu', 'minimax', 'mistral', 'groq',
  'together', 'fireworks', 'openrouter', 'ollama', 'vllm', 'llamacpp', 'lmstudio',
]);

/** Presets that run on the caller's own hardware: never billed per token. */
export const LOCAL_PRESETS: readonly Preset[] = ['ollama', 'vllm', 'llamacpp', 'lmstudio'];

/** ISO-3166-ish code (US, FR, CN...), or EU / GLOBAL / LOCAL. */
export const jurisdictionSchema = z.string().regex(/^[A-Z]{2,6}$/, 'must be an upper-case code such as US, FR, CN, EU, LOCAL');

export const isoDateSchema = z.string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'must be a real calendar date');

const usdPerMillion = z.number().finite().nonnegative();

/**
 * A price is a fact: USD per million tokens, where it came from and when it was read.
 * `cachedInput` absent means the vendor lists no cache discount, so cached tokens bill at
 * `input`; `cacheWrite` is the surcharge rate some vendors (Anthropic) bill for cache writes.
 */
export const priceSchema = z.strictObject({
  input: usdPerMillion,
  cachedInput: usdPerMillion.optional(),
  cacheWrite: usdPerMillion.optional(),
  output: usdPerMillion,
  /** URL or repo file (optionally `#entry`) the numbers were read from. */
  source: z.string().min(1),
  asOf: isoDateSchema,
  /** Caveats, e.g. "tiered: first tier (0-32000 prompt tokens)". */
  note: z.string().optional(),
});

export const modalitySchema = z.enum(['text', 'image', 'audio', 'video', 'pdf']);

export const capabilitiesSchema = z.strictObject({
  tools: z.boolean(),
  parallelTools: z.boolean(),
  jsonSchema: z.boolean(),
  reasoning: z.boolean(),
  vision: z.boolean(),
});

export const tokenizerSchema = z.strictObject({
  encoding: z.enum(['o200k_base', 'cl100k_base']),
  /** Multiplier on the encoding's count for models whose own tokenizer is not public. */
  factor: z.number().positive().max(4).default(1),
});

const slug = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/, 'letters, digits and . _ : / @ + - only');

export const deploymentEntrySchema = z.strictObject({
  /** Unique across the catalog, e.g. `gpt-4o@openai`. */
  id: slug,
  provider: providerKindSchema,
  preset: presetSchema.optional(),
  upstreamModel: z.string().min(1),
  /** Where the requests are served: us, eu, cn, sg, global, local... */
  region: z.string().regex(/^[a-z0-9-]+$/, 'lower-case region code'),
  /** Jurisdiction whose law governs the stored data. */
  dataResidency: jurisdictionSchema,
  /** Environment variable holding the key; absent for keyless (local, simulated) servers. */
  apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
  /** Only where the preset's default does not apply; `sim` = the simulator, filled in at runtime. */
  baseUrl: z.string().min(1).optional(),
  /** LiteLLM entry id this deployment's price is imported from, when not derivable. */
  priceKey: z.string().min(1).optional(),
  /** Absent = unpriced: costs are reported as unknown, never as zero. */
  price: priceSchema.optional(),
  simulated: z.boolean().optional(),
  /** The host retires this model id on this date (`arbiter catalog check` warns after it). */
  deprecationDate: isoDateSchema.optional(),
});

export const modelEntrySchema = z.strictObject({
  id: slug,
  name: z.string().min(1),
  family: modelFamilySchema,
  vendor: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case vendor slug'),
  jurisdiction: jurisdictionSchema,
  openWeights: z.boolean(),
  license: z.string().min(1),
  /** Most tokens a prompt may hold (LiteLLM's max_input_tokens); hosts may cap it lower. */
  contextWindow: z.number().int().positive(),
  /** Most tokens one response may hold. */
  maxOutput: z.number().int().positive(),
  modalities: z.strictObject({
    input: z.array(modalitySchema).min(1),
    output: z.array(modalitySchema).min(1),
  }),
  capabilities: capabilitiesSchema,
  /** Other names clients use for it (dated snapshots, vendor aliases). */
  aliases: z.array(z.string().min(1)).optional(),
  tokenizer: tokenizerSchema.optional(),
  simulated: z.boolean().optional(),
  notes: z.string().optional(),
  deployments: z.array(deploymentEntrySchema).min(1),
});

export const catalogFileSchema = z.strictObject({
  version: z.literal(1),
  models: z.array(modelEntrySchema),
}).superRefine((file, ctx) => {
  const modelIds = new Map<string, number>();
  const deploymentIds = new Set<string>();
  file.models.forEach((model, m) => {
    for (const name of [model.id, ...(model.aliases ?? [])]) {
      const key = name.toLowerCase();
      const owner = modelIds.get(key);
      if (owner !== undefined && owner !== m) {
        ctx.addIssue({ code: 'custom', path: ['models', m, 'id'], message: `model id or alias '${name}' is used twice` });
      }
      modelIds.set(key, m);
    }
    if (model.maxOutput > model.contextWindow) {
      ctx.addIssue({ code: 'custom', path: ['models', m, 'maxOutput'], message: 'maxOutput exceeds contextWindow' });
    }
    model.deployments.forEach((deployment, d) => {
      const path = ['models', m, 'deployments', d];
      if (deploymentIds.has(deployment.id)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate deployment id '${deployment.id}'` });
      }
      deploymentIds.add(deployment.id);
      if (deployment.provider === 'openai-compatible' && !deployment.preset) {
        ctx.addIssue({ code: 'custom', path: [...path, 'preset'], message: 'openai-compatible deployments need a preset' });
      }
      if (deployment.provider !== 'openai-compatible' && deployment.preset) {
        ctx.addIssue({ code: 'custom', path: [...path, 'preset'], message: `preset only applies to openai-compatible deployments, not ${deployment.provider}` });
      }
      if (deployment.price?.cachedInput !== undefined && deployment.price.cachedInput > deployment.price.input) {
        ctx.addIssue({ code: 'custom', path: [...path, 'price', 'cachedInput'], message: 'cached input price exceeds the input price' });
      }
    });
  });
});

export type ModelFamily = z.infer<typeof modelFamilySchema>;
export type Preset = z.infer<typeof presetSchema>;
export type Modality = z.infer<typeof modalitySchema>;
export type PriceFact = z.infer<typeof priceSchema>;
export type Capabilities = z.infer<typeof capabilitiesSchema>;
export type TokenizerSpec = z.infer<typeof tokenizerSchema>;
export type DeploymentEntry = z.infer<typeof deploymentEntrySchema>;
export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type CatalogFile = z.infer<typeof catalogFileSchema>;

/** A deployment as the rest of the system sees it: its entry plus the model it serves. */
export interface CatalogDeployment extends DeploymentEntry {
  modelId: string;
}

export interface CatalogModel extends Omit<ModelEntry, 'deployments'> {
  deployments: CatalogDeployment[];
}

export function isLocalPreset(preset: string | undefined): boolean {
  return preset !== undefined && (LOCAL_PRESETS as readonly string[]).includes(preset);
}
