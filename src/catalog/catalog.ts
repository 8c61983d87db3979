/**
 * The loaded catalog: lookups by model id or alias, by deployment id, and from a runtime
 * Deployment (config-defined, possibly named differently) back to the catalog's facts.
 */
import type { Deployment } from '../core/provider.js';
import { isLocalPreset, type CatalogDeployment, type CatalogModel, type PriceFact } from './schema.js';

/** The fields of a runtime Deployment the catalog can match on. */
export type DeploymentRef = Pick<Deployment, 'name' | 'provider' | 'upstreamModel'>
  & Partial<Pick<Deployment, 'preset' | 'catalogModel' | 'simulated' | 'model'>>;

export interface ResolvedDeployment {
  model?: CatalogModel;
  deployment?: CatalogDeployment;
  /** Undefined = unpriced. */
  price?: PriceFact;
  matchedBy: 'deployment-id' | 'catalog-model' | 'upstream-model' | 'local' | 'none';
}

export const LOCAL_PRICE_SOURCE = 'local inference: no per-token price (hardware cost not modelled)';

export class Catalog {
  readonly models: readonly CatalogModel[];
  readonly deployments: readonly CatalogDeployment[];
  /** Where it was loaded from, for messages. */
  readonly source: string | undefined;
  private readonly today: string;
  private readonly modelIndex = new Map<string, CatalogModel>();
  private readonly deploymentIndex = new Map<string, CatalogDeployment>();

  constructor(models: CatalogModel[], options: { source?: string; today?: string } = {}) {
    this.models = models;
    this.deployments = models.flatMap((model) => model.deployments);
    this.source = options.source;
    this.today = options.today ?? new Date().toISOString().slice(0, 10);
    for (const model of models) {
      for (const name of [model.id, ...(model.aliases ?? [])]) {
        if (!this.modelIndex.has(name.toLowerCase())) this.modelIndex.set(name.toLowerCase(), model);
      }
    }
    for (const deployment of this.deployments) this.deploymentIndex.set(deployment.id, deployment);
  }

  /** By id or alias, case-insensitive. */
  findModel(id: string): CatalogModel | undefined {
    return typeof id === 'string' ? this.modelIndex.get(id.toLowerCase()) : undefined;
  }

  findDeployment(id: string): CatalogDeployment | undefined {
    return this.deploymentIndex.get(id);
  }

  deploymentsOf(modelId: string): CatalogDeployment[] {
    return this.findModel(modelId)?.deployments ?? [];
  }

  /**
   * Prices of a catalog deployment id, or of a model id/alias: then the first priced
   * deployment listed, which is the vendor's own endpoint by convention of the data file.
   */
  pricesFor(id: string): PriceFact | undefined {
    const deployment = this.findDeployment(id);
    if (deployment) return deployment.price;
    return this.deploymentsOf(id).find((candidate) => candidate.price)?.price;
  }

  /**
   * Maps a runtime deployment to catalog facts: by deployment id; else by `catalogModel`
   * on the same host (provider + preset); else by upstream model id on the same host.
   * Local servers (ollama, vllm, llamacpp, lmstudio) that match nothing are still priced
   * at zero: they never bill per token.
   */
  resolveDeployment(ref: DeploymentRef): ResolvedDeployment {
    const byId = this.findDeployment(ref.name);
    if (byId && byId.provider === ref.provider) return found(this.findModel(byId.modelId), byId, 'deployment-id');

    const sameHost = (candidate: CatalogDeployment): boolean => candidate.provider === ref.provider
      && (candidate.preset ?? undefined) === (ref.preset || undefined)
      && !!candidate.simulated === !!ref.simulated;
    const upstream = ref.upstreamModel.toLowerCase();
    const sameUpstream = (candidate: CatalogDeployment): boolean => candidate.upstreamModel.toLowerCase() === upstream;

    const declared = ref.catalogModel ? this.findModel(ref.catalogModel) : undefined;
    if (declared) {
      const hosted = declared.deployments.filter(sameHost);
      const deployment = hosted.find(sameUpstream) ?? hosted[0];
      if (deployment) return found(declared, deployment, 'catalog-model');
    }
    const byUpstream = this.deployments.find((candidate) => sameHost(candidate) && sameUpstream(candidate));
    if (byUpstream) return found(this.findModel(byUpstream.modelId), byUpstream, 'upstream-model');

    const model = declared ?? this.findModel(ref.upstreamModel) ?? (ref.model ? this.findModel(ref.model) : undefined);
    if (ref.provider === 'openai-compatible' && isLocalPreset(ref.preset)) {
      return { model, price: { input: 0, cachedInput: 0, output: 0, source: LOCAL_PRICE_SOURCE, asOf: this.today }, matchedBy: 'local' };
    }
    return { model, matchedBy: 'none' };
  }

  /** Prices for a runtime deployment; undefined when unpriced or unknown. */
  pricesForDeployment(ref: DeploymentRef): PriceFact | undefined {
    return this.resolveDeployment(ref).price;
  }
}

function found(model: CatalogModel | undefined, deployment: CatalogDeployment, matchedBy: ResolvedDeployment['matchedBy']): ResolvedDeployment {
  return { model, deployment, price: deployment.price, matchedBy };
}
