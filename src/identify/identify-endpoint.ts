/**
 * `identify`: runs the passes against one endpoint within a request budget and returns the
 * verdict with its evidence table and what it cost. Tokenizer probes come first in the budget
 * (they are the only decisive evidence), then the model list, the reference samples, the
 * behavioural probes, and the two passive probes (invalid parameter, logprobs).
 */
import { countFamilyTokens, TOKENIZER_IDS, type TokenizerId } from '../core/family-tokenizers.js';
import { listModels, sendChat, type ChatObservation, type EndpointTarget } from './endpoint.js';
import type { EvidenceRow } from './evidence.js';
import { designProbes } from './probes.js';
import { fitTokenizers, MIN_USABLE_PROBES, type TokenizerPassResult } from './tokenizer-pass.js';
import { runPassivePass, type PassiveResult } from './passive-pass.js';
import { BEHAVIOUR_PROMPTS, runBehaviourPass, type BehaviourProbe, type BehaviourResult } from './behaviour-pass.js';
import { compareOutputs, type ReferenceResult } from './reference-pass.js';
import { decideVerdict, type Verdict } from './verdict.js';
import { fingerprintOf } from './fingerprint.js';

export interface IdentifyOptions {
  target: EndpointTarget;
  reference?: EndpointTarget;
  /** Requests the target may receive in all (default 16). */
  budgetRequests?: number;
  /** Tokenizers to compare with (default: every shipped one). */
  candidates?: readonly TokenizerId[];
  /** Parallel requests to the endpoint (default 4). */
  concurrency?: number;
  now?: () => number;
}

export interface IdentifyReport {
  target: { url: string; model: string; format: EndpointTarget['format'] };
  verdict: Verdict;
  evidence: EvidenceRow[];
  tokenizer?: TokenizerPassResult;
  passive?: PassiveResult;
  behaviour?: BehaviourResult;
  reference?: ReferenceResult;
  spent: { requests: number; promptTokens: number; completionTokens: number; referenceRequests: number };
  fingerprint: string;
  startedAt: number;
  durationMs: number;
}

const TOKENIZER_REQUESTS = 8;
const REFERENCE_PROMPTS = ['Describe the sea in one sentence.', 'Name three uses for a paperclip.', 'Write a haiku about autumn.', 'Explain what a prime number is, briefly.'];
const REFERENCE_CHOICES = 3;

interface Plan { tokenizer: number; models: boolean; reference: number; behaviour: BehaviourProbe[]; errorProbe: boolean; paramProbe: boolean }

/** What fits in the budget, most decisive first; throws when not even the tokenizer pass fits. */
export function planRequests(budget: number, options: { reference: boolean; format: EndpointTarget['format'] }): Plan {
  if (!Number.isInteger(budget) || budget < MIN_USABLE_PROBES) throw new Error(`--budget-requests must be an integer of at least ${MIN_USABLE_PROBES} (the tokenizer pass needs that many), got ${budget}`);
  let left = budget;
  const tokenizer = Math.min(TOKENIZER_REQUESTS, left);
  left -= tokenizer;
  const take = (n: number): boolean => {
    if (left < n) return false;
    left -= n;
    return true;
  };
  const models = take(1);
  const reference = options.reference && take(REFERENCE_PROMPTS.length) ? REFERENCE_PROMPTS.length : 0;
  const behaviour = (Object.keys(BEHAVIOUR_PROMPTS) as BehaviourProbe[]).filter(() => take(1));
  // Both probe OpenAI request fields; the other formats have their own and are left alone.
  const errorProbe = options.format === 'openai' && take(1);
  const paramProbe = options.format === 'openai' && take(1);
  return { tokenizer, models, reference, behaviour, errorProbe, paramProbe };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

export async function identifyEndpoint(options: IdentifyOptions): Promise<IdentifyReport> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const candidates = options.candidates ?? TOKENIZER_IDS;
  const plan = planRequests(options.budgetRequests ?? 16, { reference: options.reference !== undefined, format: options.target.format });
  const concurrency = options.concurrency ?? 4;
  const spent = { requests: 0, promptTokens: 0, completionTokens: 0, referenceRequests: 0 };
  const chat = async (probe: Parameters<typeof sendChat>[1]): Promise<ChatObservation> => {
    spent.requests++;
    const observation = await sendChat(options.target, probe);
    spent.promptTokens += observation.promptTokens ?? 0;
    spent.completionTokens += observation.completionTokens ?? 0;
    return observation;
  };

  const design = designProbes(candidates, { requestCount: plan.tokenizer });
  const modelsPromise = plan.models ? (spent.requests++, listModels(options.target)) : Promise.resolve(undefined);
  const probeAnswers = await mapLimited(design.requests, concurrency, (request) => chat({ user: request.text, maxTokens: 1 }));
  const observed = probeAnswers.map((answer) => (answer.status === 200 ? answer.promptTokens : undefined));
  const predicted = new Map(candidates.map((id) => [id, design.requests.map((request) => countFamilyTokens(id, request.text))] as const));
  const tokenizer = fitTokenizers({ observed, predicted });

  const behaviourAnswers: Partial<Record<BehaviourProbe, string>> = {};
  await mapLimited(plan.behaviour, concurrency, async (probe) => {
    const answer = await chat({ user: BEHAVIOUR_PROMPTS[probe], maxTokens: 60 });
    if (answer.status === 200) behaviourAnswers[probe] = answer.texts[0] ?? '';
  });
  const errorProbe = plan.errorProbe ? await chat({ user: 'Hi', maxTokens: 1, extra: { temperature: 'not-a-number' } }) : undefined;
  const paramProbe = plan.paramProbe ? await chat({ user: 'Hi', maxTokens: 1, extra: { logprobs: true, top_logprobs: 1 } }) : undefined;

  let reference: ReferenceResult | undefined;
  if (options.reference && plan.reference > 0) {
    const referenceTarget = options.reference;
    const sample = async (send: (prompt: string) => Promise<ChatObservation>): Promise<string[]> =>
      (await mapLimited(REFERENCE_PROMPTS, concurrency, send)).flatMap((answer) => (answer.status === 200 ? answer.texts : []));
    const targetTexts = await sample((prompt) => chat({ user: prompt, maxTokens: 80, choices: REFERENCE_CHOICES }));
    const referenceTexts = await sample((prompt) => {
      spent.referenceRequests++;
      return sendChat(referenceTarget, { user: prompt, maxTokens: 80, choices: REFERENCE_CHOICES });
    });
    if (targetTexts.length >= 2 && referenceTexts.length >= 2) reference = compareOutputs(targetTexts, referenceTexts);
  }

  const firstOk = probeAnswers.find((answer) => answer.status === 200);
  const passive = runPassivePass({ models: await modelsPromise, requestedModel: options.target.model, sample: firstOk, errorProbe, paramProbe });
  const behaviour = plan.behaviour.length > 0 ? runBehaviourPass(behaviourAnswers) : undefined;
  const verdict = decideVerdict({ tokenizer, passive, behaviour, candidates });
  const evidence = [...tokenizerEvidence(tokenizer, design.weakestPair), ...passive.evidence, ...(behaviour?.evidence ?? [])];
  if (reference) {
    evidence.push({ pass: 'reference', signal: 'two-sample MMD test', value: `p = ${reference.pValue.toFixed(3)} (MMD² ${reference.mmd2.toFixed(4)}, ${reference.samples.target} vs ${reference.samples.reference} answers)`, weight: 'low', note: reference.differs ? 'outputs differ from the reference' : 'outputs consistent with the reference' });
  }
  return {
    target: { url: options.target.url, model: options.target.model, format: options.target.format },
    verdict,
    evidence,
    tokenizer,
    passive,
    behaviour,
    reference,
    spent,
    fingerprint: fingerprintOf({ verdict, tokenizer, passive }),
    startedAt,
    durationMs: now() - startedAt,
  };
}

function tokenizerEvidence(result: TokenizerPassResult, weakest: { a: TokenizerId; b: TokenizerId; spread: number } | undefined): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  rows.push({ pass: 'tokenizer', signal: 'usable probes', value: `${result.usable} of ${result.observed.length} (prompt_tokens: ${result.observed.map((y) => y ?? '-').join(' ')})`, weight: 'none' });
  const [best, second] = result.fits;
  if (best) {
    rows.push({
      pass: 'tokenizer',
      signal: 'best fit',
      value: `${best.tokenizer}: offset ${best.offset}, residuals ${best.residuals.join(' ')}`,
      weight: result.match ? 'decisive' : 'none',
      note: result.match ? `fits (${best.misfits} misfit)` : `does not fit (${best.misfits} residuals 2+ tokens off): no known tokenizer explains the counts`,
    });
  }
  if (second && best) rows.push({ pass: 'tokenizer', signal: 'runner-up', value: `${second.tokenizer}: log-likelihood ${(second.logLikelihood - best.logLikelihood).toFixed(1)} below, residuals ${second.residuals.join(' ')}`, weight: 'none' });
  if (result.indistinguishable.length > 1) rows.push({ pass: 'tokenizer', signal: 'family set', value: result.indistinguishable.join(', '), weight: 'none', note: 'these tokenizers count the probes alike' });
  if (weakest) rows.push({ pass: 'tokenizer', signal: 'design separation', value: `${weakest.spread} tokens between the closest pair (${weakest.a}, ${weakest.b})`, weight: 'none' });
  return rows;
}
