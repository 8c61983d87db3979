/**
 * The eval harness's vocabulary. A suite is a list of items; an item renders to a canonical
 * chat request; a grader turns the model's response into a grade. Graders are pure except
 * for code execution, which goes through the sandbox.
 */
import type { ChatClient } from '../core/chat-client.js';
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatResponse } from '../core/chat-response.js';
import type { Sandbox } from './sandbox/sandbox.js';

/**
 * A chat request without `model`. Not `Omit<ChatRequest, 'model'>`: ChatRequest is a loose
 * object (it has an index signature) and Omit over that erases every known field to `unknown`;
 * a key-remapping mapped type keeps them typed.
 */
export type EvalRequest = { [K in keyof ChatRequest as K extends 'model' ? never : K]: ChatRequest[K] };

/** Matches the router's task kinds so eval results feed route policies directly. */
export type EvalTaskKind = 'code' | 'qa' | 'tools' | 'structured' | 'chat';

export interface EvalItem {
  /** Stable within its suite, e.g. `HumanEval/12` or `simple_python_8`. */
  id: string;
  suite: string;
  kind: EvalTaskKind;
  /** The request to send, without `model` (the runner sets it). */
  request: EvalRequest;
  /** Whatever the grader needs: tests, gold answers, possible answers, expected JSON. */
  reference: unknown;
  /** Optional sub-category (BFCL's simple/multiple/parallel/irrelevance...). */
  category?: string;
}

export interface Grade {
  pass: boolean;
  /** 0..1; partial credit where the metric has it (token F1). */
  score: number;
  reason: string;
  /** Metric-specific extras: em/f1, valid_call, wrong_function, hallucinated_call... */
  details?: Record<string, number | boolean | string>;
}

/**
 * What some graders need beyond the response: code execution and a judge model. Suites are
 * built with these (loader options) and graders also read them from the context, so a runner
 * may pass its own per call.
 */
export interface GraderServices {
  /** Lazily started: suites that never run code never pay for a sandbox. */
  sandbox?: () => Promise<Sandbox>;
  /** For `llm-judge` assertions. */
  chat?: ChatClient;
}

export interface GradeContext {
  item: EvalItem;
  response: ChatResponse;
  signal?: AbortSignal;
  /** Overrides the services the suite was built with, field by field. */
  services?: GraderServices;
}

/** What grading an item takes beyond the response, checked before the first paid call. */
export interface GraderNeeds {
  sandbox?: boolean;
  /** Models an `llm-judge` assertion asks. */
  judgeModels?: readonly string[];
  /** Problems in the item's grading spec itself (a regex that does not compile). */
  problems?: readonly string[];
}

export interface Grader {
  readonly name: string;
  grade(context: GradeContext): Promise<Grade>;
  /** Absent: the grader needs nothing but the response. */
  needs?(item: EvalItem): GraderNeeds;
}

export interface Suite {
  name: string;
  kind: EvalTaskKind;
  description: string;
  license?: string;
  items: EvalItem[];
  /** How each item is graded; a suite may mix graders per item via `graderFor`. */
  graderFor(item: EvalItem): Grader;
}
