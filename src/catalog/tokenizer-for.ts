/**
 * Which tokenizer approximates a model. OpenAI publishes its encodings, so GPT and
 * o-series counts are exact. Other vendors' tokenizers are private or not bundled, so their
 * counts are o200k counts times a per-family factor.
 *
 * The factors err high on purpose: the estimate reserves budget and checks context windows
 * before a call, where undercounting lets a request overspend or overflow. Measured ratios
 * vary by language and content (code and CJK differ from English prose), so treat them as
 * bounds, not truths:
 * - Anthropic: private tokenizer; Claude Opus 4.7's release notes say its new tokenizer
 *   needs 1.0-1.35x the tokens of Opus 4.6 for the same text, and count_tokens probes
 *   measured ~1.45x on English prose (https://sol.ava.dev/writings/2026-04-17-opus-4-7-tokenizer.html).
 *   1.35 for older Claude, 1.6 for 4.7 and later.
 * - Google (Gemini, Gemma): 256k-entry SentencePiece vocabularies, close to o200k: 1.1.
 * - Meta Llama 3+/4: tiktoken-style BPE extending cl100k to 128k entries: 1.1.
 * - Mistral (Tekken), DeepSeek, Qwen, Kimi, GLM, MiniMax: 100k-160k BPE vocabularies tuned
 *   for code and CJK: 1.1.
 * - Anything unknown: 1.2.
 */
import type { EncodingName } from '../core/count-text-tokens.js';
import type { CatalogModel } from './schema.js';

export interface TokenizerChoice {
  encoding: EncodingName;
  factor: number;
  /** True when the count is the model's own tokenizer, not an approximation. */
  exact: boolean;
  /** Vendor the choice was made for (`unknown` when it could not be told). */
  vendor: string;
}

const exactO200k: TokenizerChoice = { encoding: 'o200k_base', factor: 1, exact: true, vendor: 'openai' };
const exactCl100k: TokenizerChoice = { encoding: 'cl100k_base', factor: 1, exact: true, vendor: 'openai' };

function approx(vendor: string, factor: number): TokenizerChoice {
  return { encoding: 'o200k_base', factor, exact: false, vendor };
}

// gpt-4 (not 4o / 4.1 / 4.5), gpt-3.5: cl100k; see tiktoken's model.py mapping.
const cl100kModel = /^(gpt-3\.5|gpt-4(?![o.])|gpt-35|text-embedding-(ada|3))/;
const o200kModel = /^(gpt-4o|gpt-4\.[1-9]|gpt-5|gpt-oss|o[1-9](-|$)|chatgpt-4o|codex)/;

/** The tokenizer to count with for a catalog model, or for a bare model id. */
export function tokenizerFor(model?: Pick<CatalogModel, 'id' | 'vendor' | 'tokenizer'> | string): TokenizerChoice {
  if (model === undefined) return exactO200k;
  if (typeof model !== 'string' && model.tokenizer) {
    const { encoding, factor } = model.tokenizer;
    return { encoding, factor, exact: factor === 1 && model.vendor === 'openai', vendor: model.vendor };
  }
  const id = (typeof model === 'string' ? model : model.id).toLowerCase().replace(/^[a-z0-9_-]+\//, '');
  const vendor = typeof model === 'string' ? vendorFromId(id) : model.vendor;
  if (vendor === 'openai' || o200kModel.test(id) || cl100kModel.test(id)) {
    return cl100kModel.test(id) ? exactCl100k : exactO200k;
  }
  return familyApproximation(vendor, id);
}

function familyApproximation(vendor: string, id: string): TokenizerChoice {
  switch (vendor) {
    case 'anthropic':
      return approx(vendor, usesNewClaudeTokenizer(id) ? 1.6 : 1.35);
    case 'google':
    case 'meta':
    case 'mistral':
    case 'deepseek':
    case 'alibaba':
    case 'moonshot':
    case 'zhipu':
    case 'minimax':
      return approx(vendor, 1.1);
    default:
      return approx(vendor, 1.2);
  }
}

// Opus 4.7 introduced the larger-count tokenizer; assume later Claude generations keep it.
function usesNewClaudeTokenizer(id: string): boolean {
  const match = /claude-(?:[a-z]+-)?(\d+)(?:[.-](\d+))?/.exec(id);
  if (!match) return false;
  const major = Number(match[1]);
  const minor = match[2] !== undefined && match[2].length <= 2 ? Number(match[2]) : 0;
  return major > 4 || (major === 4 && minor >= 7);
}

function vendorFromId(id: string): string {
  if (id.startsWith('claude')) return 'anthropic';
  if (id.startsWith('gemini') || id.startsWith('gemma')) return 'google';
  if (id.includes('llama')) return 'meta';
  if (/mistral|mixtral|codestral|devstral|ministral|magistral|pixtral/.test(id)) return 'mistral';
  if (id.startsWith('deepseek')) return 'deepseek';
  if (id.startsWith('qwen') || id.startsWith('qwq')) return 'alibaba';
  if (id.startsWith('kimi') || id.startsWith('moonshot')) return 'moonshot';
  if (id.startsWith('glm')) return 'zhipu';
  if (id.startsWith('minimax')) return 'minimax';
  return 'unknown';
}
