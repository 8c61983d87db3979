/**
 * A deterministic fake slate for runner tests and benchmarks: suites whose grader passes the
 * answer "correct", and a ChatClient whose models answer correctly with a fixed skill per
 * model (decided by a hash of model + prompt + repeat, so reruns agree), at a fixed cost.
 */
import { createHash } from 'node:crypto';
import type { ChatCallResult, ChatClient } from '../../core/chat-client.js';
import type { ChatRequest } from '../../core/chat-request.js';
import { contentText } from '../../core/chat-request.js';
import { makeUsage, type ChatResponse } from '../../core/chat-response.js';
import type { EvalItem, EvalTaskKind, Grader, Suite } from '../types.js';

export const passIfCorrect: Grader = {
  name: 'exact-correct',
  async grade({ response }) {
    const pass = response.choices[0]?.message.content === 'correct';
    return { pass, score: pass ? 1 : 0, reason: pass ? 'answered correctly' : 'wrong answer' };
  },
};

export function fakeSuite(options: { name: string; items: number; kind?: EvalTaskKind; grader?: Grader }): Suite {
  const kind = options.kind ?? 'qa';
  const items: EvalItem[] = Array.from({ length: options.items }, (_, index) => ({
    id: `${options.name}/${index}`,
    suite: options.name,
    kind,
    request: { messages: [{ role: 'user', content: `${options.name} question ${index}` }] },
    reference: 'correct',
  }));
  return { name: options.name, kind, description: 'fake suite', items, graderFor: () => options.grader ?? passIfCorrect };
}

export interface FakeModel {
  skill: number;
  costNano: number | null;
  latencyMs?: number;
}

export interface FakeChatClient extends ChatClient {
  calls: Array<{ model: string; prompt: string }>;
  inFlight: Map<string, number>;
  maxInFlight: Map<string, number>;
}

/** Uniform in [0, 1) from a string: the fake's "did it get this one right" coin. */
export function hashUnit(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

export interface FakeClientOptions {
  models: Record<string, FakeModel>;
  /** Groups in-flight counts, like the runner's provider key. */
  providerOf?: (model: string) => string;
  /** Yield to the event loop this many ms (0 = a macrotask tick; undefined = answer at once). */
  delayMs?: number;
  /** Return an error to throw for this call instead of answering. */
  fault?: (call: { model: string; prompt: string; attempt: number }) => Error | undefined;
}

export function fakeChatClient(options: FakeClientOptions): FakeChatClient {
  const providerOf = options.providerOf ?? ((model: string) => model);
  const attempts = new Map<string, number>();
  const client: FakeChatClient = {
    calls: [],
    inFlight: new Map(),
    maxInFlight: new Map(),
    async chat(request: ChatRequest): Promise<ChatCallResult> {
      const model = options.models[request.model];
      if (!model) throw new Error(`fake has no model ${request.model}`);
      const prompt = contentText(request.messages[0]?.content ?? '');
      const key = providerOf(request.model);
      const inFlight = (client.inFlight.get(key) ?? 0) + 1;
      client.inFlight.set(key, inFlight);
      client.maxInFlight.set(key, Math.max(client.maxInFlight.get(key) ?? 0, inFlight));
      try {
        if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        const attemptKey = `${request.model}|${prompt}|${request.seed ?? ''}`;
        const attempt = attempts.get(attemptKey) ?? 0;
        attempts.set(attemptKey, attempt + 1);
        const fault = options.fault?.({ model: request.model, prompt, attempt });
        if (fault) throw fault;
        client.calls.push({ model: request.model, prompt });
        const correct = hashUnit(`${request.model}|${prompt}`) < model.skill;
        const response: ChatResponse = {
          id: `fake-${client.calls.length}`, object: 'chat.completion', created: 0, model: request.model,
          choices: [{ index: 0, message: { role: 'assistant', content: correct ? 'correct' : 'wrong' }, finish_reason: 'stop', logprobs: null }],
          usage: makeUsage(20, 5),
        };
        return { response, deployment: `${request.model}@fake`, costNano: model.costNano, latencyMs: model.latencyMs ?? 10, ttftMs: (model.latencyMs ?? 10) / 2 };
      } finally {
        client.inFlight.set(key, (client.inFlight.get(key) ?? 1) - 1);
      }
    },
  };
  return client;
}
