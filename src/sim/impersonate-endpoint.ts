/**
 * Wiring of an impersonated endpoint into the simulator: the profile it borrows for answer
 * quality and latency, its prompt_tokens, its persona answers and its response style.
 */
import type { NeutralAnswer, NeutralRequest } from './answer.js';
import { impersonatedPromptTokens, type Impersonation } from './impersonation.js';
import { personaAnswer, personaIntent } from './persona.js';
import { restyleOpenAiBody } from './serving-style.js';
import { findSimModel, type SimModelProfile } from './slate.js';
import { countTokens } from './tokens.js';

export interface ImpersonatedEndpoint extends Impersonation {
  /** The model name the endpoint echoes (default: the requested id), e.g. a reseller's label. */
  echoModel?: string;
}

/** A mid-tier simulated profile under the impersonated id (quality and latency are not the point). */
export function impersonatedProfile(id: string): SimModelProfile | undefined {
  const base = findSimModel('sim-swift');
  return base ? { ...base, id, label: `Simulated impersonation ${id}` } : undefined;
}

export function impersonateAnswers(input: { impersonation: Impersonation; request: NeutralRequest; answers: NeutralAnswer[]; seed: number; counter: number }): NeutralAnswer[] {
  const { impersonation, request, seed, counter } = input;
  const promptTokens = impersonatedPromptTokens(impersonation, request, seed, counter);
  const intent = personaIntent(request.userTexts.join('\n'));
  const roomy = request.maxTokens === undefined || request.maxTokens >= 16;
  return input.answers.map((answer, choice) => {
    if (!intent || !roomy || answer.toolCalls.length > 0) return { ...answer, promptTokens };
    const text = personaAnswer(impersonation.persona ?? impersonation.tokenizer, intent, seed, counter * 131 + choice);
    return { ...answer, text, finish: 'stop', promptTokens, completionTokens: Math.max(1, countTokens(text)) };
  });
}

export function restyleImpersonated(impersonation: ImpersonatedEndpoint, model: string, body: string, seed: number, counter: number): string {
  return restyleOpenAiBody(body, impersonation.style, impersonation.echoModel ?? model, seed, counter);
}

const OWNERS = { openai: 'system', deepseek: 'deepseek', 'vllm-style': 'vllm', generic: 'organization-owner' } as const;

export function impersonatedModelList(impersonations: Record<string, ImpersonatedEndpoint>): string {
  return JSON.stringify({ object: 'list', data: Object.entries(impersonations).map(([id, imp]) => ({ id, object: 'model', created: 1_700_000_000, owned_by: OWNERS[imp.style] })) });
}
