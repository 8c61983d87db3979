/**
 * The format-neutral answer: every wire format parses its request into a NeutralRequest and
 * renders the one NeutralAnswer computed here, so the same request gets the same answer in
 * the OpenAI, Anthropic and Gemini formats.
 */
import type { SimModelProfile } from './slate.js';
import { SeededRandom, hashParts, unitHash } from './random.js';
import { countTokens, truncateToTokens } from './tokens.js';
import { findTask, type CodeTask, type JsonTask, type QaTask, type SimTask, type ToolTask } from './task-index.js';
import { mutateCode } from './mutate-code.js';
import { ownValue } from '../core/own-property.js';

export interface NeutralTool { name: string; description?: string; parameters?: Record<string, unknown> }

// ChatML framing as OpenAI bills it: 3 tokens a message plus its role (one token for
// system/user/assistant) and 3 priming the reply, so "Hi" costs 8 prompt tokens as on the
// real API, not 1 (openai-cookbook, "How to count tokens with tiktoken").
const TOKENS_PER_MESSAGE = 4;
const REPLY_PRIMER = 3;

export function promptTokenCount(request: NeutralRequest): number {
  let tokens = TOKENS_PER_MESSAGE * Math.max(1, request.messageCount) + REPLY_PRIMER;
  for (const part of request.promptParts) tokens += countTokens(part);
  return tokens;
}

export interface NeutralRequest {
  model: string;
  system: string;
  /** The text of each user message, in order. */
  userTexts: string[];
  /** Everything the prompt carries (message texts, tool calls, tool definitions), for the prompt token count. */
  promptParts: string[];
  /** Messages in the prompt (a system prompt counts as one): each costs framing tokens. */
  messageCount: number;
  tools: NeutralTool[];
  forcedTool?: string;
  toolRequired: boolean;
  toolsDisabled: boolean;
  /** Several calls in one turn are allowed (OpenAI parallel_tool_calls, Anthropic disable_parallel_tool_use). */
  parallelToolCalls: boolean;
  maxTokens?: number;
  /** A JSON answer is asked for (response format / mime type); the schema when one is given. */
  json: boolean;
  jsonSchema?: Record<string, unknown>;
  /** The last turn is a tool result: answer in text. */
  afterToolResult: boolean;
  stream: boolean;
  /** Alternative answers asked for (OpenAI `n`, Gemini `candidateCount`); 1 elsewhere. */
  choices: number;
  /** A text answer at least this long (`x-sim-output-tokens`), before the request's cap cuts it. */
  outputTokens?: number;
}

export interface NeutralToolCall { id: string; name: string; args: Record<string, unknown> }

export interface NeutralAnswer {
  text: string;
  toolCalls: NeutralToolCall[];
  finish: 'stop' | 'length' | 'tool_calls';
  promptTokens: number;
  completionTokens: number;
  /** The known task answered, if any (for tests and logs). */
  taskId?: string;
  correct?: boolean;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const WORDS = [
  'system', 'signal', 'layer', 'pattern', 'value', 'window', 'harbor', 'stone', 'light', 'river', 'measure', 'balance',
  'detail', 'process', 'request', 'answer', 'record', 'model', 'result', 'method', 'current', 'season', 'garden', 'bridge',
  'careful', 'quiet', 'steady', 'simple', 'clear', 'bright', 'distant', 'useful', 'gentle', 'common', 'practical', 'early',
];
const VERBS = ['keeps', 'shows', 'brings', 'holds', 'shapes', 'guides', 'follows', 'reflects', 'supports', 'changes', 'explains', 'connects'];
const OPENERS = ['In short,', 'Put simply,', 'Overall,', 'In practice,', 'Notably,', 'Here,', 'As a rule,', 'At its core,'];
const STOP = new Set(['about', 'which', 'there', 'their', 'would', 'could', 'should', 'these', 'those', 'where', 'while', 'write', 'describe', 'explain', 'please', 'answer']);

function topicWords(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.toLowerCase().matchAll(/[a-z][a-z-]{4,}/g)) {
    const word = match[0];
    if (!STOP.has(word)) seen.add(word);
    if (seen.size >= 12) break;
  }
  return [...seen];
}

/** Deterministic, plausible prose seeded by the request content. */
export function plausibleText(seed: number, topicSource: string): string {
  const rng = new SeededRandom(seed);
  const topics = topicWords(topicSource);
  const nouns = topics.length > 0 ? [...topics, ...WORDS.slice(0, 12)] : WORDS.slice(0, 24);
  const adjectives = WORDS.slice(24);
  const sentences: string[] = [];
  const count = rng.int(2, 7);
  for (let i = 0; i < count; i++) {
    const noun = rng.pick(nouns);
    const sentence = `${i > 0 && rng.next() < 0.35 ? `${rng.pick(OPENERS)} the` : 'The'} ${rng.pick(adjectives)} ${noun} ${rng.pick(VERBS)} the ${rng.pick(nouns)}${rng.next() < 0.5 ? ` and the ${rng.pick(adjectives)} ${rng.pick(nouns)}` : ''}.`;
    sentences.push(sentence.replace(/^(\w)/, (c) => c.toUpperCase()));
  }
  return sentences.join(' ');
}

function firstCapitalized(text: string): string | undefined {
  const words = text.split(/\s+/).slice(1);
  for (const word of words) {
    const clean = word.replace(/[^A-Za-z-]/g, '');
    if (/^[A-Z][a-z]{2,}/.test(clean)) return clean;
  }
  return undefined;
}

/** Arguments synthesised from a JSON schema: required properties, enum → first, string → a word. */
export function synthesize(schema: unknown, hint: string, rng: SeededRandom, depth = 0): unknown {
  if (!isRecord(schema) || depth > 6) return {};
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (Object.hasOwn(schema, 'const')) return schema.const;
  const anyOf = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (anyOf && anyOf.length > 0) return synthesize(anyOf.find((option) => !(isRecord(option) && option.type === 'null')) ?? anyOf[0], hint, rng, depth + 1);
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? type[0];
  if (typeof type === 'string') type = type.toLowerCase();
  switch (type) {
    case 'string':
      if (schema.format === 'date') return '2024-01-01';
      return firstCapitalized(hint) ?? rng.pick(WORDS);
    case 'integer':
      return rng.int(1, 10);
    case 'number':
    case 'float':
      return rng.int(1, 100) / 4;
    case 'boolean':
      return true;
    case 'array':
      return [synthesize(schema.items, hint, rng, depth + 1)];
    case 'null':
      return null;
    default: {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required.filter((key): key is string => typeof key === 'string') : [];
      const out: Record<string, unknown> = {};
      const keys = required.length > 0 ? required : Object.keys(properties).slice(0, 1);
      // The schema is the client's: a property named `__proto__` or `constructor` is a property like any other.
      for (const key of keys) Object.defineProperty(out, key, { value: synthesize(ownValue(properties, key), hint, rng, depth + 1), enumerable: true, writable: true, configurable: true });
      return out;
    }
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : { value };
}

interface Draft { text: string; calls: Array<{ name: string; args: Record<string, unknown> }>; correct?: boolean; taskId?: string }

function codeAnswer(task: CodeTask, correct: boolean, seed: number): Draft {
  const body = correct ? task.canonical : mutateCode(task.canonical, seed);
  return { text: `\`\`\`python\n${task.prompt}${body}${body.endsWith('\n') ? '' : '\n'}\`\`\``, calls: [] };
}

function qaAnswer(task: QaTask, correct: boolean, seed: number): Draft {
  if (correct) return { text: task.answers[0] ?? '', calls: [] };
  const gold = new Set(task.answers.map((answer) => answer.toLowerCase().trim()));
  const words = task.context.split(/\s+/).filter((word) => word.length > 0);
  const rng = new SeededRandom(seed);
  for (let attempt = 0; attempt < 20 && words.length > 0; attempt++) {
    const length = rng.int(1, 4);
    const start = rng.int(0, Math.max(0, words.length - length));
    const span = words.slice(start, start + length).join(' ').replace(/^[^\w]+|[^\w]+$/g, '');
    const lower = span.toLowerCase();
    if (span.length > 0 && !gold.has(lower) && ![...gold].some((answer) => answer.includes(lower) || lower.includes(answer))) return { text: span, calls: [] };
  }
  return { text: 'The passage does not say.', calls: [] };
}

function offeredName(name: string, offered: readonly NeutralTool[]): string | undefined {
  if (offered.length === 0) return name;
  const underscored = name.replace(/\./g, '_');
  return offered.find((tool) => tool.name === name)?.name ?? offered.find((tool) => tool.name === underscored || tool.name.replace(/\./g, '_') === underscored)?.name;
}

function renderCallsAsText(calls: Draft['calls']): string {
  const rendered = calls.map((call) => `${call.name}(${Object.entries(call.args).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ')})`);
  return `[${rendered.join(', ')}]`;
}

function changeValue(value: unknown, rng: SeededRandom): unknown {
  if (typeof value === 'number') return value + (Number.isInteger(value) ? rng.int(1, 5) : 1.5);
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') return value.length > 0 ? `${value.split('').reverse().join('')}x` : 'unknown';
  if (Array.isArray(value)) return value.slice(0, Math.max(0, value.length - 1));
  return 'unknown';
}

function toolsAnswer(task: ToolTask, request: NeutralRequest, correct: boolean, seed: number): Draft {
  const rng = new SeededRandom(seed);
  const offered = request.toolsDisabled ? [] : request.tools;
  if (task.groundTruth === null) {
    if (correct || request.toolsDisabled) return { text: 'None of the available functions can help with this request.', calls: [] };
    const tool = offered[0] ?? task.functions[0];
    if (!tool) return { text: 'None of the available functions can help with this request.', calls: [] };
    return { text: '', calls: [{ name: tool.name, args: asObject(synthesize(tool.parameters, request.userTexts.join('\n'), rng)) }] };
  }
  const calls: Draft['calls'] = [];
  for (const entry of task.groundTruth) {
    for (const [fname, params] of Object.entries(entry)) {
      const name = offeredName(fname, offered) ?? fname.replace(/\./g, '_');
      const args: Record<string, unknown> = {};
      if (isRecord(params)) {
        for (const [param, allowed] of Object.entries(params)) {
          if (!Array.isArray(allowed) || allowed.length === 0 || allowed.includes('')) continue;
          args[param] = allowed[0];
        }
      }
      calls.push({ name, args });
    }
  }
  if (!correct && calls.length > 0) {
    const target = calls[rng.int(0, calls.length - 1)];
    const others = offered.filter((tool) => !calls.some((call) => call.name === tool.name));
    const keys = target ? Object.keys(target.args) : [];
    if (target && (keys.length === 0 || (others.length > 0 && rng.next() < 0.4))) {
      const other = others[0];
      if (other) target.name = other.name;
      else target.args = { ...target.args, unexpected: true };
    } else if (target) {
      const key = rng.pick(keys);
      target.args = { ...target.args, [key]: changeValue(target.args[key], rng) };
    }
  }
  if (offered.length === 0) return { text: renderCallsAsText(calls), calls: [] };
  return { text: '', calls };
}

function jsonAnswer(task: JsonTask, correct: boolean, seed: number): unknown {
  if (correct || !isRecord(task.expected)) return task.expected;
  const rng = new SeededRandom(seed);
  const wrong: Record<string, unknown> = { ...task.expected };
  const required = isRecord(task.schema) && Array.isArray(task.schema.required) ? task.schema.required.filter((key): key is string => typeof key === 'string' && Object.hasOwn(wrong, key)) : [];
  if (required.length > 0 && rng.next() < 0.5) {
    delete wrong[rng.pick(required)];
    return wrong;
  }
  const keys = Object.keys(wrong);
  const key = keys.find((k) => typeof wrong[k] === 'number') ?? keys.find((k) => typeof wrong[k] === 'boolean') ?? keys[0];
  if (key === undefined) return { unexpected: true };
  const value = wrong[key];
  wrong[key] = typeof value === 'string' ? 42 : String(value);
  return wrong;
}

function skillFor(task: SimTask, profile: SimModelProfile): number {
  return profile.skill[task.kind];
}

function knownAnswer(task: SimTask, request: NeutralRequest, profile: SimModelProfile, seed: number): Draft {
  const correct = unitHash('correct', seed, profile.id, task.id) < skillFor(task, profile);
  const variantSeed = hashParts('variant', seed, profile.id, task.id);
  let draft: Draft;
  switch (task.kind) {
    case 'code':
      draft = codeAnswer(task, correct, variantSeed);
      break;
    case 'qa':
      draft = qaAnswer(task, correct, variantSeed);
      break;
    case 'tools':
      draft = toolsAnswer(task, request, correct, variantSeed);
      break;
    case 'json': {
      const value = jsonAnswer(task, correct, variantSeed);
      draft = request.forcedTool && !request.toolsDisabled
        ? { text: '', calls: [{ name: request.forcedTool, args: asObject(value) }] }
        : { text: JSON.stringify(value), calls: [] };
      break;
    }
  }
  return { ...draft, correct, taskId: task.id };
}

/**
 * The tools an unknown prompt calls: the forced one; else every offered tool whose name words
 * the last user message mentions (one per turn when parallel calls are off, the best match);
 * else the first when a call is required.
 */
function chooseTools(request: NeutralRequest): NeutralTool[] {
  if (request.toolsDisabled || request.tools.length === 0) return [];
  if (request.forcedTool) return [request.tools.find((tool) => tool.name === request.forcedTool) ?? { name: request.forcedTool }];
  const lastUser = (request.userTexts[request.userTexts.length - 1] ?? '').toLowerCase();
  const scored: Array<{ tool: NeutralTool; score: number }> = [];
  for (const tool of request.tools) {
    const words = `${tool.name.replace(/[._-]/g, ' ')}`.toLowerCase().split(/\s+/).filter((word) => word.length > 2 && word !== 'get' && word !== 'set');
    const score = words.filter((word) => lastUser.includes(word)).length;
    if (score > 0) scored.push({ tool, score });
  }
  if (scored.length > 0) {
    if (request.parallelToolCalls) return scored.map((entry) => entry.tool);
    const best = scored.reduce((a, b) => (b.score > a.score ? b : a));
    return [best.tool];
  }
  return request.toolRequired && request.tools[0] ? [request.tools[0]] : [];
}

function unknownAnswer(request: NeutralRequest, seed: number): Draft {
  const content = `${request.system}\u0002${request.userTexts.join('\u0003')}`;
  const contentSeed = hashParts('text', seed, request.model, content);
  const forced = request.forcedTool !== undefined || request.toolRequired;
  if (!request.afterToolResult || forced) {
    const tools = chooseTools(request);
    if (tools.length > 0) {
      const rng = new SeededRandom(contentSeed);
      const lastUser = request.userTexts[request.userTexts.length - 1] ?? '';
      return { text: '', calls: tools.map((tool) => ({ name: tool.name, args: asObject(synthesize(tool.parameters ?? { type: 'object' }, lastUser, rng)) })) };
    }
  }
  if (request.json) {
    const rng = new SeededRandom(contentSeed);
    const value = request.jsonSchema ? synthesize(request.jsonSchema, request.userTexts[request.userTexts.length - 1] ?? '', rng) : { answer: plausibleText(contentSeed, content).split('.')[0] ?? '' };
    return { text: JSON.stringify(value), calls: [] };
  }
  return { text: plausibleText(contentSeed, request.userTexts[request.userTexts.length - 1] ?? request.system), calls: [] };
}

/** Repeats the answer until it has `tokens` tokens (a model that rambles), then cuts it there. */
function lengthen(text: string, tokens: number): string {
  const unit = Math.max(1, countTokens(`${text} `));
  const long = Array.from({ length: Math.ceil(tokens / unit) }, () => text).join(' ');
  return truncateToTokens(long, tokens).text;
}

let callCounter = 0;

/** The one answer to a request, whatever format it came in. */
export function computeAnswer(request: NeutralRequest, profile: SimModelProfile, seed: number): NeutralAnswer {
  const allUser = request.userTexts.join('\n');
  const task = request.afterToolResult ? undefined : findTask(allUser);
  const draft = task ? knownAnswer(task, request, profile, seed) : unknownAnswer(request, seed);
  let text = draft.text;
  let finish: NeutralAnswer['finish'] = draft.calls.length > 0 ? 'tool_calls' : 'stop';
  if (draft.calls.length === 0 && request.outputTokens !== undefined && text.length > 0) text = lengthen(text, request.outputTokens);
  if (draft.calls.length === 0 && request.maxTokens !== undefined && request.maxTokens > 0) {
    const cut = truncateToTokens(text, request.maxTokens);
    text = cut.text;
    if (cut.cut) finish = 'length';
  }
  const toolCalls = draft.calls.map((call, index) => ({ ...call, id: `${hashParts(seed, request.model, allUser, call.name, index, callCounter++).toString(36)}` }));
  const completionTokens = Math.max(1, countTokens(text) + toolCalls.reduce((sum, call) => sum + countTokens(call.name) + countTokens(JSON.stringify(call.args)) + 3, 0));
  return {
    text,
    toolCalls,
    finish,
    promptTokens: promptTokenCount(request),
    completionTokens,
    taskId: draft.taskId,
    correct: draft.correct,
  };
}
