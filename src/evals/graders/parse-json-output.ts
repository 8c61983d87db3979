/**
 * Reads the JSON a model answered with: the whole text, else a ```json (or bare) fenced block,
 * else the outermost {...} or [...] span. Models wrap JSON in prose and fences even in JSON mode.
 */
import { extractCodeBlocks } from './extract-code.js';

export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string };

function tryParse(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function outermostSpan(text: string): string | null {
  const starts = [text.indexOf('{'), text.indexOf('[')].filter((index) => index >= 0);
  if (starts.length === 0) return null;
  const start = Math.min(...starts);
  const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
  return end > start ? text.slice(start, end + 1) : null;
}

export function parseJsonOutput(text: string): ParsedJson {
  const whole = tryParse(text.trim());
  if (whole.ok) return whole;
  for (const block of extractCodeBlocks(text)) {
    if (block.lang !== '' && block.lang !== 'json' && block.lang !== 'jsonc') continue;
    const parsed = tryParse(block.code.trim());
    if (parsed.ok) return parsed;
  }
  const span = outermostSpan(text);
  if (span) {
    const parsed = tryParse(span);
    if (parsed.ok) return parsed;
  }
  return { ok: false, error: text.trim() === '' ? 'empty answer' : `not JSON (${whole.error})` };
}
