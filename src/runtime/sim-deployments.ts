/**
 * With no keys and no configured deployments, every simulated model is served by the
 * in-process simulator in all three wire formats: the OpenAI format first, the Anthropic and
 * Gemini formats as mirrors, so the demo exercises every adapter and cross-format fallback.
 */
import type { DeploymentConfig } from '../config/deployments.js';
import { SIM_SLATE } from '../sim/slate.js';

export function simulatorDeployments(simulatorUrl: string): DeploymentConfig[] {
  const deployments: DeploymentConfig[] = [];
  for (const model of SIM_SLATE) {
    const common = { model: model.id, upstreamModel: model.id, region: model.region, catalogModel: model.id, simulated: true };
    deployments.push({ ...common, name: model.id, provider: 'openai', baseUrl: `${simulatorUrl}/v1`, apiKey: 'sim-key' });
    deployments.push({ ...common, name: `${model.id}@anthropic-format`, provider: 'anthropic', baseUrl: simulatorUrl, apiKey: 'sim-key' });
    deployments.push({ ...common, name: `${model.id}@gemini-format`, provider: 'gemini', baseUrl: simulatorUrl, apiKey: 'sim-key' });
  }
  return deployments;
}
