/** Adapters by provider kind, and config deployments resolved to runnable ones. */
import type { DeploymentConfig } from '../config/deployments.js';
import type { Env } from '../config/interpolate.js';
import { ArbiterError } from '../core/errors.js';
import type { Deployment, ProviderAdapter, ProviderKind, UpstreamTimeouts } from '../core/provider.js';
import { anthropicAdapter } from './anthropic/index.js';
import { geminiAdapter } from './gemini/index.js';
import { createOpenAIAdapter } from './openai/index.js';
import { presets } from './openai-compatible/presets.js';

const openaiAdapter = createOpenAIAdapter('openai', () => ({}));
const compatibleAdapter = createOpenAIAdapter('openai-compatible', (deployment) => (deployment.preset ? presets[deployment.preset]?.quirks : undefined) ?? {});

export function adapterFor(kind: ProviderKind): ProviderAdapter {
  switch (kind) {
    case 'openai': return openaiAdapter;
    case 'anthropic': return anthropicAdapter;
    case 'gemini': return geminiAdapter;
    case 'openai-compatible': return compatibleAdapter;
    default: {
      const never: never = kind;
      throw new ArbiterError('invalid_request', `unknown provider ${String(never)}`);
    }
  }
}

export const providerDefaults: Record<Exclude<ProviderKind, 'openai-compatible'>, { baseUrl: string; apiKeyEnv: string[] }> = {
  openai: { baseUrl: 'https://api.openai.com/v1', apiKeyEnv: ['OPENAI_API_KEY'] },
  anthropic: { baseUrl: 'https://api.anthropic.com', apiKeyEnv: ['ANTHROPIC_API_KEY'] },
  gemini: { baseUrl: 'https://generativelanguage.googleapis.com', apiKeyEnv: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
};

export function resolveDeployment(config: DeploymentConfig, options: { env: Env; defaultTimeouts: UpstreamTimeouts }): Deployment {
  const preset = config.preset ? presets[config.preset] : undefined;
  if (config.preset && !preset) {
    throw new ArbiterError('invalid_request', `Deployment '${config.name}': unknown preset '${config.preset}' (known: ${Object.keys(presets).join(', ')}).`, { param: 'preset' });
  }
  if (config.provider === 'openai-compatible' && !preset && !config.baseUrl) {
    throw new ArbiterError('invalid_request', `Deployment '${config.name}': an openai-compatible deployment needs a preset or a baseUrl.`, { param: 'baseUrl' });
  }
  const defaults = config.provider === 'openai-compatible' ? undefined : providerDefaults[config.provider];
  const baseUrl = config.baseUrl ?? preset?.baseUrl ?? defaults?.baseUrl ?? '';
  const keyVars = config.apiKeyEnv ? [config.apiKeyEnv] : preset?.apiKeyEnv ? [preset.apiKeyEnv] : defaults?.apiKeyEnv ?? [];
  const apiKey = config.apiKey || keyVars.map((name) => options.env[name]).find((value) => value);
  return {
    name: config.name,
    model: config.model ?? config.name,
    provider: config.provider,
    ...(config.preset ? { preset: config.preset } : {}),
    upstreamModel: config.upstreamModel,
    baseUrl,
    ...(apiKey ? { apiKey } : {}),
    ...(config.region ? { region: config.region } : {}),
    ...(config.headers ? { headers: config.headers } : {}),
    ...(config.catalogModel ? { catalogModel: config.catalogModel } : {}),
    timeouts: { ...options.defaultTimeouts, ...config.timeouts },
    ...(config.simulated ? { simulated: true } : {}),
  };
}
