/** The eval suites' public surface. */
export { resolveSuite, detectSuiteFormat, shippedSuites, type SuiteFormat } from './resolve-suite.js';
export type { SuiteLoadOptions } from './load-options.js';
export { loadHumanEval, parseHumanEval, humanEvalSuite, type HumanEvalReference } from './humaneval.js';
export { loadBfcl, loadBfclFile, bfclCategoryFiles, defaultBfclCategories, type BfclCategory } from './bfcl.js';
export { bfclToOpenAiTools } from './bfcl-tools.js';
export { loadSquad, parseSquad, squadSuite, defaultSquadSampleSize } from './squad.js';
export { loadStructured, parseStructuredTasks, structuredSuite } from './structured.js';
export { loadCustomSuite, parseCustomSuiteYaml, parseCustomSuiteJsonl, customSuite } from './custom.js';
export { sampleItems } from './sample-items.js';
export { datasetPaths } from './dataset-paths.js';
