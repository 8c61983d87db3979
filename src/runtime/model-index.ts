/** Public model name → its deployments (mirrors), in config order. */
import type { Deployment } from '../core/provider.js';

export class ModelIndex {
  private readonly byModel = new Map<string, Deployment[]>();
  private readonly byName = new Map<string, Deployment>();

  constructor(deployments: readonly Deployment[]) {
    for (const deployment of deployments) {
      this.byName.set(deployment.name, deployment);
      const list = this.byModel.get(deployment.model) ?? [];
      list.push(deployment);
      this.byModel.set(deployment.model, list);
    }
  }

  /** A model name gives all its mirrors; a deployment name gives just that one. */
  lookup(name: string): Deployment[] | undefined {
    const mirrors = this.byModel.get(name);
    if (mirrors) return mirrors;
    const single = this.byName.get(name);
    return single ? [single] : undefined;
  }

  models(): string[] {
    return [...this.byModel.keys()];
  }

  deployment(name: string): Deployment | undefined {
    return this.byName.get(name);
  }
}
