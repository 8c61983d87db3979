/**
 * The routes `npm start` serves when the config defines none: one per kind of feature, each
 * a policy the bake-off's results decide. Operators copy these into arbiter.yaml and edit.
 */
export const demoRoutes = {
  general: { task: 'chat' },
  'code-assistant': { task: 'code', qualityFloor: 0.6, require: ['tools'] },
  'support-bot': { task: 'qa', qualityFloor: 0.55, maxLatencyP95Ms: 20_000 },
  'agent-tools': { task: 'tools', qualityFloor: 0.6, require: ['tools'] },
  extractor: { task: 'structured', qualityFloor: 0.6, require: ['json_schema'] },
  'no-cn': { task: 'chat', compliance: { denyJurisdictions: ['CN'] } },
  'private-data': { task: 'chat', compliance: { localOnly: true } },
} as const;

export const demoDefaultRoute = 'general';
