/**
 * With no deployments configured, every catalog deployment whose key variable is set in the
 * environment becomes a deployment: setting OPENAI_API_KEY is enough to serve OpenAI models.
 */
import type { DeploymentConfig } from '../config/deployments.js';
import type { Env } from '../config/interpolate.js';
import type { Catalog } from '../catalog/index.js';

export function keyedCatalogDeployments(catalog: Catalog, env: Env): DeploymentConfig[] {
  const configs: DeploymentConfig[] = [];
  for (const model of catalog.models) {
    if (model.simulated) continue;
    for (const deployment of model.deployments) {
      if (!deployment.apiKeyEnv || !env[deployment.apiKeyEnv]) continue;
      configs.push({
        name: deployment.id,
        model: model.id,
        provider: deployment.provider,
        ...(deployment.preset ? { preset: deployment.preset } : {}),
        upstreamModel: deployment.upstreamModel,
        apiKeyEnv: deployment.apiKeyEnv,
        region: deployment.region,
        catalogModel: model.id,
        ...(deployment.baseUrl && deployment.baseUrl !== 'sim' ? { baseUrl: deployment.baseUrl } : {}),
      });
    }
  }
  return configs;
}
