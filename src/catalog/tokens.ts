/**
 * Prompt-size estimates for context-window checks and budget reservations, made before a
 * request is sent. Text goes through a real BPE tokenizer (see tokenizer-for.ts for which,
 * and the per-family factor for models whose tokenizer is private); message framing, tool
 * definitions and media get documented fixed costs. Never throws: a malformed part counts
 * by its JSON size instead.
 */
import type { ChatRequest } from '../core/chat-request.js';
import { countTextTokens } from '../core/count-text-tokens.js';
import type { CatalogModel } from './schema.js';
import { tokenizerFor, type TokenizerChoice } from './tokenizer-for.js';

export { countTextTokens, preloadTokenizers, type EncodingName } from '../core/count-text-tokens.js';
export { tokenizerFor, type TokenizerChoice } from './tokenizer-for.js';

type ModelRef = Pick<CatalogModel, 'id' | 'vendor' | 'tokenizer'>;

// ChatML framing: <|start|>{role}<|message|>{content}<|end|> costs 3 tokens a message, a
// name 1 more, and the reply is primed with 3 (openai-cookbook, "How to count tokens with
// tiktoken": https://github.com/openai/openai-cookbook/blob/main/examples/How_to_count_tokens_with_tiktoken.ipynb).
const PER_MESSAGE = 3;
const PER_NAME = 1;
const REPLY_PRIMER = 3;
// Tools are rendered into a hidden TypeScript-like namespace; OpenAI does not publish the
// exact template, so each definition costs its text plus a small wrapper.
const TOOLS_PREAMBLE = 12;
const PER_TOOL = 8;
const PER_TOOL_CALL = 5;
const RESPONSE_FORMAT_OVERHEAD = 10;

// OpenAI vision: low detail is a flat 85; high scales the image so its short side is 768 px
// and bills 85 + 170 per 512-px tile, which is 765 for a square image (2x2 tiles). With no
// dimensions at hand, high and auto assume that square
// (https://platform.openai.com/docs/guides/images-vision#calculating-costs).
const IMAGE_LOW = 85;
const IMAGE_HIGH = 765;
// Claude ignores `detail` and bills width*height/750, resizing past ~1.15 megapixels,
// so ~1,600 is its ceiling (https://docs.anthropic.com/en/docs/build-with-claude/vision).
const IMAGE_ANTHROPIC = 1_600;
// Gemini bills audio at 32 tokens a second (https://ai.google.dev/gemini-api/docs/tokens);
// OpenAI does not publish its rate, so the same figure stands in. Duration comes from the
// payload size: 16-bit 24 kHz mono WAV is 48 kB/s, 128 kbit/s MP3 is 16 kB/s.
const AUDIO_TOKENS_PER_SECOND = 32;
// A PDF page costs 1,500-3,000 tokens as text plus page image
// (https://docs.anthropic.com/en/docs/build-with-claude/pdf-support); page count is guessed
// at one per 100 kB, at least one.
const FILE_TOKENS_PER_PAGE = 3_000;
const FILE_BYTES_PER_PAGE = 100_000;

interface Tally {
  text: string[];
  media: number;
}

/**
 * Estimated prompt tokens of `request` for `model` (defaults to the tokenizer implied by
 * `request.model`): messages with framing, tools, response schema and media.
 */
export function estimatePromptTokens(request: ChatRequest, model?: ModelRef): number {
  const tokenizer = tokenizerFor(model ?? (typeof request?.model === 'string' ? request.model : undefined));
  try {
    const tally: Tally = { text: [], media: 0 };
    let framing = REPLY_PRIMER;
    const messages: unknown[] = Array.isArray(request.messages) ? request.messages : [];
    for (const message of messages) framing += tallyMessage(message, tally, tokenizer);
    framing += tallyTools(request, tally);
    return scaled(tally, framing, tokenizer);
  } catch {
    return Math.ceil(safeJsonLength(request) / 4 * tokenizer.factor);
  }
}

/** Tokens of free text under the model's tokenizer, factor included. */
export function estimateTextTokens(text: string, model?: ModelRef | string): number {
  const tokenizer = tokenizerFor(model);
  return Math.ceil(countTextTokens(text, tokenizer.encoding) * tokenizer.factor);
}

function scaled(tally: Tally, framing: number, tokenizer: TokenizerChoice): number {
  let textTokens = framing;
  for (const text of tally.text) textTokens += countTextTokens(text, tokenizer.encoding);
  return Math.ceil(textTokens * tokenizer.factor) + tally.media;
}

function tallyMessage(message: unknown, tally: Tally, tokenizer: TokenizerChoice): number {
  if (!isRecord(message)) return PER_MESSAGE;
  let framing = PER_MESSAGE;
  pushString(tally, message.role);
  if (typeof message.name === 'string') {
    tally.text.push(message.name);
    framing += PER_NAME;
  }
  tallyContent(message.content, tally, tokenizer);
  pushString(tally, message.refusal);
  pushString(tally, message.reasoning_content);
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      framing += PER_TOOL_CALL;
      const fn = isRecord(call) && isRecord(call.function) ? call.function : undefined;
      if (fn) {
        pushString(tally, fn.name);
        pushString(tally, fn.arguments);
      } else {
        tally.text.push(safeJson(call));
      }
    }
  }
  return framing;
}

function tallyContent(content: unknown, tally: Tally, tokenizer: TokenizerChoice): void {
  if (typeof content === 'string') {
    tally.text.push(content);
    return;
  }
  if (!Array.isArray(content)) {
    if (content != null) tally.text.push(safeJson(content));
    return;
  }
  for (const part of content) {
    if (!isRecord(part)) continue;
    switch (part.type) {
      case 'text':
        pushString(tally, part.text);
        break;
      case 'refusal':
        pushString(tally, part.refusal);
        break;
      case 'image_url':
        tally.media += imageTokens(part.image_url, tokenizer);
        break;
      case 'input_audio':
        tally.media += audioTokens(part.input_audio);
        break;
      case 'file':
        tally.media += fileTokens(part.file);
        break;
      default:
        tally.text.push(safeJson(part));
    }
  }
}

function tallyTools(request: ChatRequest, tally: Tally): number {
  let framing = 0;
  const tools: unknown[] = Array.isArray(request.tools) ? request.tools : [];
  if (tools.length > 0) framing += TOOLS_PREAMBLE;
  for (const tool of tools) {
    framing += PER_TOOL;
    const fn = isRecord(tool) && isRecord(tool.function) ? tool.function : undefined;
    if (!fn) {
      tally.text.push(safeJson(tool));
      continue;
    }
    pushString(tally, fn.name);
    pushString(tally, fn.description);
    if (fn.parameters !== undefined) tally.text.push(safeJson(fn.parameters));
  }
  if (isRecord(request.tool_choice)) tally.text.push(safeJson(request.tool_choice));
  const format = request.response_format;
  if (isRecord(format) && format.type === 'json_schema' && isRecord(format.json_schema)) {
    framing += RESPONSE_FORMAT_OVERHEAD;
    pushString(tally, format.json_schema.name);
    pushString(tally, format.json_schema.description);
    if (format.json_schema.schema !== undefined) tally.text.push(safeJson(format.json_schema.schema));
  }
  return framing;
}

function imageTokens(image: unknown, tokenizer: TokenizerChoice): number {
  if (tokenizer.vendor === 'anthropic') return IMAGE_ANTHROPIC;
  const detail = isRecord(image) ? image.detail : undefined;
  return detail === 'low' ? IMAGE_LOW : IMAGE_HIGH;
}

function audioTokens(audio: unknown): number {
  if (!isRecord(audio) || typeof audio.data !== 'string') return AUDIO_TOKENS_PER_SECOND;
  const bytes = base64Bytes(audio.data);
  const bytesPerSecond = audio.format === 'mp3' ? 16_000 : 48_000;
  return Math.max(1, Math.ceil((bytes / bytesPerSecond) * AUDIO_TOKENS_PER_SECOND));
}

function fileTokens(file: unknown): number {
  const data = isRecord(file) && typeof file.file_data === 'string' ? file.file_data : '';
  const pages = Math.max(1, Math.ceil(base64Bytes(data) / FILE_BYTES_PER_PAGE));
  return pages * FILE_TOKENS_PER_PAGE;
}

/** Decoded size of a base64 payload, with or without a `data:...;base64,` prefix. */
function base64Bytes(data: string): number {
  const comma = data.startsWith('data:') ? data.indexOf(',') : -1;
  return Math.floor(((data.length - (comma + 1)) * 3) / 4);
}

function pushString(tally: Tally, value: unknown): void {
  if (typeof value === 'string' && value.length > 0) tally.text.push(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function safeJsonLength(value: unknown): number {
  return safeJson(value).length;
}
