/** Where the shipped datasets live (src/ and dist/ sit at the same depth, so one URL serves both). */
import { fileURLToPath } from 'node:url';

const dataPath = (relative: string): string => fileURLToPath(new URL(`../../../data/${relative}`, import.meta.url));

export const datasetPaths = {
  humaneval: dataPath('datasets/humaneval/HumanEval.jsonl'),
  bfclDir: dataPath('datasets/bfcl'),
  squad: dataPath('datasets/squad-v1.1/dev-v1.1.json'),
  structured: dataPath('suites/structured.jsonl'),
} as const;
