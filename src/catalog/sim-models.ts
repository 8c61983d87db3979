/**
 * Catalog entries for the simulator's models, derived from SIM_SLATE so the simulator and
 * the catalog cannot drift apart. Every one is family `simulated` and `simulated: true`.
 * The simulator speaks all three wire formats for every model; besides the OpenAI-format
 * deployment of each, one model gets an Anthropic-format and one a Gemini-format
 * deployment so both adapters are exercised end to end.
 */
import { SIM_SLATE, type SimModelProfile } from '../sim/slate.js';
import type { CatalogDeployment, CatalogModel, ModelEntry } from './schema.js';

/** Placeholder base URL: the gateway substitutes the running simulator's address. */
export const SIM_BASE_URL = 'sim';
export const SIM_PRICE_SOURCE = 'simulated profile (src/sim/slate.ts)';

const ANTHROPIC_FORMAT_MODEL = 'sim-frontier';
const GEMINI_FORMAT_MODEL = 'sim-swift';

function simDeployment(profile: SimModelProfile, suffix: string, provider: CatalogDeployment['provider'], asOf: string): CatalogDeployment {
  return {
    id: `${profile.id}@${suffix}`,
    modelId: profile.id,
    provider,
    upstreamModel: profile.id,
    region: profile.region,
    dataResidency: profile.jurisdiction,
    baseUrl: SIM_BASE_URL,
    simulated: true,
    price: {
      input: profile.price.input,
      cachedInput: profile.price.cachedInput,
      output: profile.price.output,
      source: SIM_PRICE_SOURCE,
      asOf,
    },
  };
}

function modalities(profile: SimModelProfile): ModelEntry['modalities'] {
  return { input: profile.capabilities.vision ? ['text', 'image'] : ['text'], output: ['text'] };
}

/** `asOf` dates the simulated prices: the profile is their source, so they are always current. */
export function buildSimModels(asOf: string): CatalogModel[] {
  return SIM_SLATE.map((profile) => {
    const deployments = [simDeployment(profile, 'sim', 'openai', asOf)];
    if (profile.id === ANTHROPIC_FORMAT_MODEL) deployments.push(simDeployment(profile, 'sim-anthropic', 'anthropic', asOf));
    if (profile.id === GEMINI_FORMAT_MODEL) deployments.push(simDeployment(profile, 'sim-gemini', 'gemini', asOf));
    return {
      id: profile.id,
      name: `${profile.label} [SIMULATED]`,
      family: 'simulated',
      vendor: profile.vendor,
      jurisdiction: profile.jurisdiction,
      openWeights: profile.openWeights,
      license: profile.license,
      contextWindow: profile.contextWindow,
      maxOutput: profile.maxOutput,
      modalities: modalities(profile),
      capabilities: { ...profile.capabilities },
      simulated: true,
      notes: `SIMULATED: imitates ${profile.imitates}; says nothing about any real model.`,
      deployments,
    };
  });
}
