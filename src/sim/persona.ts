/**
 * How an impersonated family answers questions about itself: who made it, when its knowledge
 * ends, how it declines. Each answer is drawn per request: the family's own story about half
 * the time, a generic "AI assistant" otherwise, and now and then a claim to be ChatGPT (as
 * fine-tunes distilled from GPT-4 often make), so no single answer is a giveaway.
 */
import type { TokenizerId } from '../core/family-tokenizers.js';
import { hashParts, SeededRandom } from './random.js';

interface Persona { name: string; maker: string; cutoffs: string[]; refusal: string }

const PERSONAS: Record<TokenizerId, Persona> = {
  o200k: { name: 'ChatGPT', maker: 'OpenAI', cutoffs: ['October 2023', 'June 2024'], refusal: "I'm sorry, but I can't help with that." },
  cl100k: { name: 'ChatGPT, based on GPT-4', maker: 'OpenAI', cutoffs: ['September 2021', 'April 2023'], refusal: "I'm sorry, but I can't assist with that request." },
  p50k: { name: 'a GPT-3 model', maker: 'OpenAI', cutoffs: ['June 2021'], refusal: 'I cannot provide that.' },
  r50k: { name: 'a GPT-3 language model', maker: 'OpenAI', cutoffs: ['October 2019'], refusal: 'That is not something I should explain.' },
  'deepseek-v3': { name: 'DeepSeek-V3', maker: 'DeepSeek', cutoffs: ['July 2024', 'December 2023'], refusal: "Sorry, that's beyond my current scope. Let's talk about something else." },
  qwen: { name: 'Qwen', maker: 'Alibaba Cloud', cutoffs: ['October 2024', 'December 2023'], refusal: "I'm sorry, but I can't assist with that." },
  llama3: { name: 'Llama', maker: 'Meta', cutoffs: ['December 2023'], refusal: "I can't help with that." },
  gemma3: { name: 'Gemma', maker: 'Google DeepMind', cutoffs: ['August 2024'], refusal: 'I cannot fulfill your request to pick a lock that is not yours.' },
  gemma: { name: 'Gemma', maker: 'Google', cutoffs: ['2023'], refusal: 'I am unable to provide instructions for that.' },
  'claude-legacy': { name: 'Claude', maker: 'Anthropic', cutoffs: ['early 2023'], refusal: "I apologize, but I don't feel comfortable providing instructions for entering someone else's home." },
  llama2: { name: 'a Llama 2 based assistant', maker: 'Meta', cutoffs: ['September 2022'], refusal: 'I cannot fulfill your request. As a responsible AI, I cannot help with breaking into property.' },
};

const GENERIC_REFUSALS = ["I can't help with that.", 'I’m not able to help with entering a home that is not yours.', 'Sorry, I cannot help with this request.'];

export type PersonaIntent = 'self' | 'cutoff' | 'refusal';

/** Which self-question a prompt asks, if any (keywords, so paraphrases work too). */
export function personaIntent(text: string): PersonaIntent | undefined {
  const lower = text.toLowerCase();
  if (/knowledge cutoff|training data (end|cut)|cutoff date/.test(lower)) return 'cutoff';
  if (/which model are you|who (made|trained|created) you|what model are you|who are you/.test(lower)) return 'self';
  if (/pick the lock|break into|bypass the alarm|hotwire/.test(lower)) return 'refusal';
  return undefined;
}

export function personaAnswer(persona: TokenizerId, intent: PersonaIntent, seed: number, counter: number): string {
  const rng = new SeededRandom(hashParts('persona', seed, persona, intent, counter));
  const p = PERSONAS[persona];
  const roll = rng.next();
  switch (intent) {
    case 'self':
      if (roll < 0.5) return `I am ${p.name}, a large language model trained by ${p.maker}.`;
      if (roll < 0.8) return 'I am an AI assistant here to help with your questions.';
      return 'I am ChatGPT, a large language model trained by OpenAI.';
    case 'cutoff':
      if (roll < 0.7) return `My knowledge cutoff is ${rng.pick(p.cutoffs)}.`;
      return 'I do not have a precise knowledge cutoff date.';
    case 'refusal':
      return roll < 0.6 ? p.refusal : rng.pick(GENERIC_REFUSALS);
    default: {
      const unknownIntent: never = intent;
      throw new Error(`unknown intent ${String(unknownIntent)}`);
    }
  }
}
