/**
 * Family impersonation: a simulated endpoint that counts prompt tokens with a chosen REAL
 * tokenizer over a chosen chat template, optionally with a hidden system prompt, ±N jitter,
 * or as a proxy that recounts the prompt with cl100k; that styles its responses like a
 * serving stack (OpenAI's API, DeepSeek's, a vLLM-style server, a generic reseller); and that
 * answers "who are you" questions plausibly for its family but not always truthfully (models
 * distilled from GPT-4 often say they are ChatGPT). So `arbiter identify` is tested offline on
 * honest counts, and cannot win by reading a name.
 */
import { countFamilyTokens, type TokenizerId } from '../core/family-tokenizers.js';
import type { NeutralRequest } from './answer.js';
import { hashParts, SeededRandom } from './random.js';

export const CHAT_TEMPLATES = ['openai', 'chatml', 'llama3', 'llama2-inst', 'gemma', 'deepseek', 'claude-text', 'alpaca', 'mistral-inst'] as const;
export type ChatTemplate = (typeof CHAT_TEMPLATES)[number];

export type ServingStyle = 'openai' | 'deepseek' | 'vllm-style' | 'generic';

export interface Impersonation {
  tokenizer: TokenizerId;
  template: ChatTemplate;
  /** Prepended as a system turn the caller never sees (and pays for). */
  hiddenSystemPrompt?: string;
  /** prompt_tokens moves by a uniform integer in [-jitter, jitter] per request. */
  jitter?: number;
  /** A proxy in front recounts the prompt it received with this encoding (OpenAI's formula). */
  recount?: 'cl100k';
  style: ServingStyle;
  /** The family its answers sound like (default: the tokenizer's). */
  persona?: TokenizerId;
}

type Segment = { special: number } | { text: string };

interface Turn { role: 'system' | 'user'; content: string }

function turnsOf(request: NeutralRequest, hidden: string | undefined): Turn[] {
  const turns: Turn[] = [];
  if (hidden) turns.push({ role: 'system', content: hidden });
  if (request.system) turns.push({ role: 'system', content: request.system });
  // promptParts holds every message text in order (and tool JSON); the system text is among them.
  for (const part of request.promptParts) if (part !== request.system || !request.system) turns.push({ role: 'user', content: part });
  return turns;
}

/** The template rendered as segments: specials are one token each, adjacent text is tokenized as one string. */
function render(template: ChatTemplate, turns: readonly Turn[]): Segment[] {
  const out: Segment[] = [];
  const s = (n = 1): void => void out.push({ special: n });
  const t = (text: string): void => void out.push({ text });
  switch (template) {
    case 'openai':
      // OpenAI's billing: <|im_start|>{role}<|im_sep|>{content}<|im_end|>, 3 tokens priming the reply.
      for (const turn of turns) { s(); t(turn.role); s(); t(turn.content); s(); }
      s(); t('assistant'); s();
      break;
    case 'chatml':
      for (const turn of turns) { s(); t(`${turn.role}\n${turn.content}`); s(); t('\n'); }
      s(); t('assistant\n');
      break;
    case 'llama3':
      s();
      for (const turn of turns) { s(); t(turn.role); s(); t(`\n\n${turn.content}`); s(); }
      s(); t('assistant'); s(); t('\n\n');
      break;
    case 'llama2-inst': {
      const system = turns.filter((turn) => turn.role === 'system').map((turn) => turn.content).join('\n');
      const users = turns.filter((turn) => turn.role === 'user');
      users.forEach((turn, i) => {
        s();
        t(`[INST] ${i === 0 && system ? `<<SYS>>\n${system}\n<</SYS>>\n\n` : ''}${turn.content} [/INST]`);
      });
      break;
    }
    case 'gemma': {
      // Gemma has no system role: system text opens the first user turn.
      s();
      const system = turns.filter((turn) => turn.role === 'system').map((turn) => turn.content).join('\n');
      turns.filter((turn) => turn.role === 'user').forEach((turn, i) => { s(); t(`user\n${i === 0 && system ? `${system}\n\n` : ''}${turn.content}`); s(); t('\n'); });
      s(); t('model\n');
      break;
    }
    case 'deepseek':
      s();
      for (const turn of turns) {
        if (turn.role === 'system') t(turn.content);
        else { s(); t(turn.content); }
      }
      s();
      break;
    case 'claude-text':
      t(turns.map((turn) => (turn.role === 'system' ? turn.content : `\n\nHuman: ${turn.content}`)).join('') + '\n\nAssistant:');
      break;
    case 'alpaca':
      t(`${turns.filter((turn) => turn.role === 'system').map((turn) => `${turn.content}\n\n`).join('')}${turns.filter((turn) => turn.role === 'user').map((turn) => `### Instruction:\n${turn.content}\n\n`).join('')}### Response:\n`);
      break;
    case 'mistral-inst':
      s();
      for (const turn of turns) { s(); t(turn.content); s(); }
      break;
    default: {
      const unknownTemplate: never = template;
      throw new Error(`unknown template ${String(unknownTemplate)}`);
    }
  }
  return out;
}

function countSegments(tokenizer: TokenizerId, segments: readonly Segment[]): number {
  let total = 0;
  let text = '';
  const flush = (): void => {
    total += countFamilyTokens(tokenizer, text);
    text = '';
  };
  for (const segment of segments) {
    if ('special' in segment) {
      flush();
      total += segment.special;
    } else text += segment.text;
  }
  flush();
  return total;
}

/** prompt_tokens as this endpoint reports them for the `counter`-th request. */
export function impersonatedPromptTokens(impersonation: Impersonation, request: NeutralRequest, seed: number, counter: number): number {
  let tokens: number;
  if (impersonation.recount === 'cl100k') {
    // The proxy sees only the caller's messages, not the upstream's hidden prompt.
    tokens = 3 + request.promptParts.reduce((sum, part) => sum + 4 + countFamilyTokens('cl100k', part), 0);
  } else {
    tokens = countSegments(impersonation.tokenizer, render(impersonation.template, turnsOf(request, impersonation.hiddenSystemPrompt)));
  }
  const jitter = Math.max(0, Math.floor(impersonation.jitter ?? 0));
  if (jitter > 0) tokens += new SeededRandom(hashParts('jitter', seed, request.model, counter)).int(-jitter, jitter);
  return Math.max(1, tokens);
}
