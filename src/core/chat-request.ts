/**
 * The canonical request is OpenAI's Chat Completions body: it is what clients already
 * speak, so the gateway validates it once at the edge and adapters translate from it.
 * Unknown top-level fields are kept (loose objects) so vendor extensions pass through.
 * Reference: https://platform.openai.com/docs/api-reference/chat/create
 */
import { z } from 'zod';
import { ArbiterError } from './errors.js';

/**
 * Arbiter extension: Anthropic's prompt-cache breakpoint on a part or tool, kept so a Messages
 * request reaches an Anthropic upstream with its breakpoints (other formats ignore it).
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 */
export const cacheControlSchema = z.looseObject({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() });
export type CacheControl = z.infer<typeof cacheControlSchema>;

const textPart = z.object({ type: z.literal('text'), text: z.string(), cache_control: cacheControlSchema.optional() });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
  cache_control: cacheControlSchema.optional(),
});
const audioPart = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string(), format: z.enum(['wav', 'mp3']) }),
});
const filePart = z.object({
  type: z.literal('file'),
  file: z.object({ file_data: z.string().optional(), file_id: z.string().optional(), filename: z.string().optional() }),
  cache_control: cacheControlSchema.optional(),
});
const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });

export const userContentPartSchema = z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart]);

const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
  /** Provider data to hand back (Gemini thought signatures); see ToolCallExtra. */
  extra_content: z.looseObject({ google: z.looseObject({ thought_signature: z.string().optional() }).optional() }).optional(),
});

export const thinkingBlockSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
]);
export type ThinkingBlock = z.infer<typeof thinkingBlockSchema>;

const systemMessage = z.looseObject({
  role: z.literal('system'),
  content: z.union([z.string(), z.array(textPart)]),
  name: z.string().optional(),
});
const developerMessage = z.looseObject({
  role: z.literal('developer'),
  content: z.union([z.string(), z.array(textPart)]),
  name: z.string().optional(),
});
const userMessage = z.looseObject({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(userContentPartSchema)]),
  name: z.string().optional(),
});
const assistantMessage = z.looseObject({
  role: z.literal('assistant'),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, refusalPart]))]).nullish(),
  refusal: z.string().nullish(),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  /** DeepSeek-style reasoning carried back in multi-turn conversations. */
  reasoning_content: z.string().nullish(),
  /**
   * Arbiter extension (LiteLLM's name): Claude's thinking blocks with their signatures, which
   * Anthropic wants back unchanged on the next turn of a tool-using conversation.
   */
  thinking_blocks: z.array(thinkingBlockSchema).optional(),
});
const toolMessage = z.looseObject({
  role: z.literal('tool'),
  content: z.union([z.string(), z.array(textPart)]),
  tool_call_id: z.string().min(1),
});

export const chatMessageSchema = z.discriminatedUnion('role', [
  systemMessage, developerMessage, userMessage, assistantMessage, toolMessage,
]);

const functionNameSchema = z.string().regex(/^[a-zA-Z0-9_.:-]{1,128}$/, 'must be 1-128 letters, digits, _ . : or -');

export const toolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: functionNameSchema,
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
  cache_control: cacheControlSchema.optional(),
});

export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.optional(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  user: z.string().optional(),
  metadata: z.record(z.string().max(64), z.string().max(512)).nullish(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullish(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type UserContentPart = z.infer<typeof userContentPartSchema>;
export type Tool = z.infer<typeof toolSchema>;
export type ToolChoice = z.infer<typeof toolChoiceSchema>;
export type ResponseFormat = z.infer<typeof responseFormatSchema>;
export type RequestToolCall = z.infer<typeof toolCallSchema>;

/** Renders a zod issue path the way OpenAI names params: `messages[0].content`. */
export function formatParamPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Turns a zod failure into a 400 that names the first offending field. */
type Issue = z.core.$ZodIssue;

/**
 * A union that rejects everything says only "Invalid input". The option the caller meant is
 * the one whose check got deepest before failing (an array of parts missing an image URL),
 * or else one whose type matched but failed a check; its issue is reported, with the union's
 * path in front. When every option failed on its type, the message lists the types the field
 * takes.
 */
function explainIssue(issue: Issue): { path: PropertyKey[]; message: string } {
  if (issue.code !== 'invalid_union' || !Array.isArray(issue.errors) || issue.errors.length === 0) {
    return { path: [...issue.path], message: issue.message };
  }
  // A union given its own message (embeddings' input) says it better than a list of types or a check.
  const custom = issue.message !== 'Invalid input';
  let best: Issue | undefined;
  const expected = new Set<string>();
  for (const option of issue.errors) {
    const first = option[0];
    if (!first) continue;
    if (first.path.length === 0 && first.code === 'invalid_type') expected.add(String(first.expected));
    if (first.path.length === 0 && first.code === 'invalid_value') expected.add(first.values.map((value) => JSON.stringify(value)).join(', '));
    if (first.path.length > 0 && (!best || first.path.length > best.path.length)) best = first;
    // Right type, failed a check (five stop sequences for at most four): that option was meant.
    else if (!custom && first.path.length === 0 && first.code !== 'invalid_type' && first.code !== 'invalid_value' && !best) best = first;
  }
  if (best) {
    const inner = explainIssue(best);
    return { path: [...issue.path, ...inner.path], message: inner.message };
  }
  const message = !custom && expected.size > 0 ? `expected ${[...expected].join(' or ')}` : issue.message;
  return { path: [...issue.path], message };
}

export function zodToArbiterError(error: z.ZodError, prefix = ''): ArbiterError {
  const explained = error.issues[0] ? explainIssue(error.issues[0]) : undefined;
  const issue = explained ? { path: explained.path, message: explained.message } : undefined;
  const path = issue ? formatParamPath(issue.path) : '';
  const param = prefix && path ? `${prefix}.${path}` : prefix || path;
  const detail = issue ? issue.message : 'invalid value';
  const message = param ? `Invalid value for '${param}': ${detail}` : `Invalid request: ${detail}`;
  return new ArbiterError('invalid_request', message, { param: param || null });
}

/**
 * JSON.parse accepts nesting thousands deep, but unknown fields pass through to the upstream
 * and JSON.stringify of such a value overflows the stack; no real request nests this far (a
 * tool schema a few dozen levels at most).
 */
export const MAX_BODY_DEPTH = 64;

interface DepthFrame { value: unknown; depth: number; key: PropertyKey; parent: DepthFrame | undefined }

/**
 * The path of the first value nested deeper than `maxDepth`, found without recursion; it runs
 * on every request, so a frame links to its parent and the path is built only on failure.
 */
export function findTooDeep(value: unknown, maxDepth = MAX_BODY_DEPTH): ReadonlyArray<PropertyKey> | undefined {
  const stack: DepthFrame[] = [{ value, depth: 0, key: '', parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const current = frame.value;
    if (typeof current !== 'object' || current === null) continue;
    if (frame.depth >= maxDepth) {
      const path: PropertyKey[] = [];
      for (let at: DepthFrame | undefined = frame; at?.parent; at = at.parent) path.unshift(at.key);
      return path;
    }
    const depth = frame.depth + 1;
    if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index++) stack.push({ value: current[index], depth, key: index, parent: frame });
    } else {
      for (const key in current) {
        if (Object.hasOwn(current, key)) stack.push({ value: (current as Record<string, unknown>)[key], depth, key, parent: frame });
      }
    }
  }
  return undefined;
}

/** Checks zod cannot express: relations between fields, as OpenAI enforces them. */
function checkConsistency(request: ChatRequest): void {
  if (request.stream_options && !request.stream) {
    throw new ArbiterError('invalid_request', "'stream_options' is only allowed when 'stream' is true.", { param: 'stream_options' });
  }
  const choice = request.tool_choice;
  const names = new Set((request.tools ?? []).map((tool) => tool.function.name));
  // 'auto' and 'none' without tools are harmless, and some clients send them; a required or
  // named call that cannot be made is refused, as OpenAI does.
  if ((choice === 'required' || typeof choice === 'object') && names.size === 0) {
    throw new ArbiterError('invalid_request', "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", { param: 'tool_choice' });
  }
  if (typeof choice === 'object' && !names.has(choice.function.name)) {
    throw new ArbiterError('invalid_request', `Invalid value for 'tool_choice': no function named '${choice.function.name}' in 'tools'.`, { param: 'tool_choice.function.name' });
  }
  if (names.size < (request.tools?.length ?? 0)) {
    const seen = new Set<string>();
    const index = request.tools!.findIndex((tool) => seen.has(tool.function.name) || !seen.add(tool.function.name));
    throw new ArbiterError('invalid_request', `Invalid value for 'tools[${index}].function.name': tool names must be unique.`, { param: `tools[${index}].function.name` });
  }
}

/** Validates an untrusted body; throws ArbiterError(invalid_request) naming the field. */
export function parseChatRequest(body: unknown): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ArbiterError('invalid_request', 'The request body must be a JSON object.');
  }
  const deep = findTooDeep(body);
  if (deep) {
    const param = formatParamPath(deep);
    throw new ArbiterError('invalid_request', `Invalid value for '${param}': nested more than ${MAX_BODY_DEPTH} levels deep.`, { param });
  }
  const result = chatRequestSchema.safeParse(body);
  if (!result.success) throw zodToArbiterError(result.error);
  const request = result.data;
  checkConsistency(request);
  return request;
}

/** The output cap the caller asked for, whichever of the two spellings it used. */
export function requestedMaxTokens(request: ChatRequest): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens ?? undefined;
}

/** Flattens text content (string or text parts) to one string; non-text parts are skipped. */
export function contentText(content: ChatMessage['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) {
    if (part.type === 'text') text += part.text;
  }
  return text;
}
