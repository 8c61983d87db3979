/**
 * Model families as `arbiter identify` can tell them apart. The unit is the tokenizer: models
 * sharing one vocabulary (Qwen2, 2.5 and 3; every Llama 3.x; GPT-4o and gpt-oss) give the same
 * counts, so the answer is a family SET and never a single model the counts cannot separate.
 * The behavioural hints (names a model calls itself, plausible knowledge cutoffs, refusal
 * phrasing) are deliberately coarse: they tip a close call, they never make one.
 */
import type { TokenizerId } from '../core/family-tokenizers.js';

export interface FamilySet {
  id: TokenizerId;
  label: string;
  members: string[];
  /** Words a model of the set may call itself or its maker (lower case). */
  selfNames: string[];
  /** Knowledge cutoff years its members report. */
  cutoffYears: [number, number];
  /** Phrases typical of its refusals (lower case). */
  refusalMarkers: string[];
  /** tiktoken encodings are what recounting proxies report too, so a fit needs OpenAI's wire to corroborate it. */
  recountable: boolean;
}

export const FAMILY_SETS: Record<TokenizerId, FamilySet> = {
  o200k: { id: 'o200k', label: 'OpenAI o200k (GPT-4o, GPT-4.1, GPT-5, o-series, gpt-oss)', members: ['gpt-4o', 'gpt-4.1', 'gpt-5', 'o3', 'o4-mini', 'gpt-oss'], selfNames: ['openai', 'chatgpt', 'gpt-4', 'gpt-5', 'gpt'], cutoffYears: [2023, 2025], refusalMarkers: ["i'm sorry, but i can't", 'i can’t help with that'], recountable: true },
  cl100k: { id: 'cl100k', label: 'OpenAI cl100k (GPT-4, GPT-4 Turbo, GPT-3.5 Turbo)', members: ['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo'], selfNames: ['openai', 'chatgpt', 'gpt-4', 'gpt-3.5', 'gpt'], cutoffYears: [2021, 2023], refusalMarkers: ["i'm sorry, but i can't", "i'm sorry, i can't"], recountable: true },
  p50k: { id: 'p50k', label: 'OpenAI p50k (text-davinci-002/003, Codex)', members: ['text-davinci-003', 'code-davinci-002'], selfNames: ['openai', 'gpt-3', 'davinci'], cutoffYears: [2019, 2021], refusalMarkers: [], recountable: true },
  r50k: { id: 'r50k', label: 'OpenAI r50k / GPT-2 (GPT-3 base models)', members: ['davinci', 'gpt-2'], selfNames: ['openai', 'gpt-3', 'gpt-2'], cutoffYears: [2019, 2021], refusalMarkers: [], recountable: true },
  'deepseek-v3': { id: 'deepseek-v3', label: 'DeepSeek V3 vocabulary (DeepSeek-V3, R1, V3.1, V3.2)', members: ['deepseek-v3', 'deepseek-r1', 'deepseek-chat', 'deepseek-reasoner'], selfNames: ['deepseek'], cutoffYears: [2023, 2025], refusalMarkers: ['sorry, that\'s beyond my current scope'], recountable: false },
  qwen: { id: 'qwen', label: 'Qwen vocabulary (Qwen2, Qwen2.5, Qwen3, QwQ)', members: ['qwen2', 'qwen2.5', 'qwen3', 'qwq'], selfNames: ['qwen', 'tongyi', 'alibaba'], cutoffYears: [2023, 2025], refusalMarkers: ['i cannot assist with that', 'i can\'t assist with that'], recountable: false },
  llama3: { id: 'llama3', label: 'Llama 3 vocabulary (Llama 3, 3.1, 3.2, 3.3)', members: ['llama-3', 'llama-3.1', 'llama-3.2', 'llama-3.3'], selfNames: ['llama', 'meta'], cutoffYears: [2023, 2024], refusalMarkers: ["i can't help with that", "i can't provide"], recountable: false },
  gemma3: { id: 'gemma3', label: 'Gemma 3 vocabulary (Gemma 3, 262k SentencePiece)', members: ['gemma-3'], selfNames: ['gemma', 'google', 'deepmind'], cutoffYears: [2023, 2025], refusalMarkers: ['i cannot fulfill', 'i am unable to'], recountable: false },
  gemma: { id: 'gemma', label: 'Gemma 1/2 vocabulary (Gemma, Gemma 2, 256k SentencePiece)', members: ['gemma', 'gemma-2'], selfNames: ['gemma', 'google', 'deepmind'], cutoffYears: [2023, 2024], refusalMarkers: ['i cannot fulfill', 'i am unable to'], recountable: false },
  'claude-legacy': { id: 'claude-legacy', label: 'Anthropic legacy vocabulary (Claude 1, Claude 2)', members: ['claude-1', 'claude-2', 'claude-instant'], selfNames: ['claude', 'anthropic'], cutoffYears: [2022, 2023], refusalMarkers: ['i apologize, but', "i don't feel comfortable"], recountable: false },
  llama2: { id: 'llama2', label: 'Llama 2 vocabulary (Llama 2, Code Llama, Vicuna-style fine-tunes)', members: ['llama-2', 'codellama', 'vicuna'], selfNames: ['llama', 'meta'], cutoffYears: [2022, 2023], refusalMarkers: ['i cannot fulfill your request', 'as a responsible ai'], recountable: false },
};

export function familyLabel(id: TokenizerId): string {
  return FAMILY_SETS[id].label;
}
